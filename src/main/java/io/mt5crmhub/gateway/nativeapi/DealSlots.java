package io.mt5crmhub.gateway.nativeapi;

/** IMTDeal getter slots in MSVC x64 order: each setter sits just before its getter (ABI reference, 4.2). */
final class DealSlots {

    static final int DEAL = 4;
    static final int LOGIN = 8;
    static final int ORDER = 12;
    static final int ACTION = 14;
    static final int ENTRY = 16;
    static final int DIGITS = 18;
    static final int SYMBOL = 26;
    static final int PRICE = 28;
    static final int VOLUME = 30;
    static final int PROFIT = 32;
    static final int STORAGE = 34;
    static final int COMMISSION = 36;
    static final int POSITION_ID = 46;
    static final int COMMENT = 48;
    static final int TIME_MSC = 70;
    static final int REASON = 71;

    private DealSlots() {
    }
}

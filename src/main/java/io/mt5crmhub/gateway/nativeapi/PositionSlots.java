package io.mt5crmhub.gateway.nativeapi;

/** IMTPosition getter slots in MSVC x64 order (ABI reference, 4.3 and the appendix). */
final class PositionSlots {

    static final int LOGIN = 4;
    static final int SYMBOL = 6;
    static final int ACTION = 8;
    static final int PRICE_OPEN = 20;
    static final int PRICE_CURRENT = 22;
    static final int PRICE_SL = 24;
    static final int PRICE_TP = 26;
    static final int VOLUME = 28;
    static final int PROFIT = 30;
    static final int STORAGE = 32;
    static final int COMMENT = 44;
    static final int TIME_CREATE_MSC = 62;
    static final int TIME_UPDATE_MSC = 64;
    static final int POSITION = 74;

    private PositionSlots() {
    }
}

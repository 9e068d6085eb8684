package io.mt5crmhub.gateway.nativeapi;

/** IMTUser getter slots in MSVC x64 order (ABI reference, 4.4 and the appendix): each setter sits before its getter. */
final class UserSlots {

    static final int LOGIN = 4;
    static final int GROUP = 6;
    static final int REGISTRATION = 10;
    static final int NAME = 14;
    static final int EMAIL = 34;
    static final int LEVERAGE = 46;
    static final int AGENT = 48;
    static final int BALANCE = 49;
    static final int CREDIT = 50;
    static final int FIRST_NAME = 91;
    static final int LAST_NAME = 93;

    private UserSlots() {
    }
}

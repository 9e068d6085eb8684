package io.mt5crmhub.gateway.nativeapi;

/** IMTManagerAPI slot numbers in MSVC x64 order, from the appendix of the ABI reference (not header order). */
final class ManagerSlots {

    static final int RELEASE = 0;
    static final int CONNECT = 5;
    static final int DISCONNECT = 6;
    static final int SUBSCRIBE = 7;
    static final int UNSUBSCRIBE = 8;
    static final int USER_SUBSCRIBE = 77;
    static final int USER_UNSUBSCRIBE = 78;
    static final int DEAL_CREATE_ARRAY = 99;
    static final int DEAL_SUBSCRIBE = 102;
    static final int DEAL_UNSUBSCRIBE = 103;
    static final int POSITION_SUBSCRIBE = 108;
    static final int POSITION_UNSUBSCRIBE = 109;
    static final int DEALER_BALANCE = 192;
    static final int DEAL_REQUEST_BY_GROUP = 321;

    private ManagerSlots() {
    }
}

package io.mt5crmhub.gateway.nativeapi;

/** IMTManagerAPI slot numbers in MSVC x64 order, from the appendix of the ABI reference (not header order). */
final class ManagerSlots {

    static final int RELEASE = 0;
    static final int CONNECT = 5;
    static final int DISCONNECT = 6;
    static final int SUBSCRIBE = 7;
    static final int UNSUBSCRIBE = 8;
    static final int USER_CREATE = 75;
    static final int USER_SUBSCRIBE = 77;
    static final int USER_UNSUBSCRIBE = 78;
    static final int USER_REQUEST = 84;
    static final int DEAL_CREATE_ARRAY = 99;
    static final int DEAL_REQUEST_BY_LOGIN = 100;
    static final int DEAL_SUBSCRIBE = 102;
    static final int DEAL_UNSUBSCRIBE = 103;
    static final int POSITION_CREATE_ARRAY = 107;
    static final int POSITION_SUBSCRIBE = 108;
    static final int POSITION_UNSUBSCRIBE = 109;
    static final int DEALER_BALANCE = 192;
    static final int USER_CREATE_ARRAY = 226;
    static final int USER_REQUEST_ARRAY = 228;
    static final int DEAL_REQUEST_BY_GROUP = 321;
    static final int POSITION_REQUEST_BY_GROUP = 334;

    private ManagerSlots() {
    }
}

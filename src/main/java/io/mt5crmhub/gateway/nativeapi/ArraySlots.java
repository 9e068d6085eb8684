package io.mt5crmhub.gateway.nativeapi;

/** The slots shared by IMTDealArray, IMTPositionArray and IMTUserArray (ABI reference, 4.5). */
final class ArraySlots {

    static final int RELEASE = 0;
    static final int CLEAR = 2;
    static final int TOTAL = 12;
    static final int NEXT = 13;

    private ArraySlots() {
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.util.List;

/** Reads an IMTDealArray; the elements belong to the array and are not released. */
final class DealArrays {

    private DealArrays() {
    }

    static List<NativeDeal> read(ComObject array) {
        return NativeArrays.read(array, DealReader::read);
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Pointer;

/** Reads an IMTDealArray: Total, then Next for each index; the elements belong to the array and are not released. */
final class DealArrays {

    private DealArrays() {
    }

    static List<NativeDeal> read(ComObject array) {
        int total = array.callInt(ArraySlots.TOTAL);
        List<NativeDeal> deals = new ArrayList<>(Math.max(0, total));
        for (int i = 0; i < total; i++) {
            Pointer deal = array.callPointer(ArraySlots.NEXT, i);
            if (deal == null) {
                break;
            }
            deals.add(DealReader.read(deal));
        }
        return deals;
    }
}

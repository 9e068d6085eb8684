package io.mt5crmhub.gateway.nativeapi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.sun.jna.Pointer;

/**
 * Reads an IMTDealArray, IMTPositionArray or IMTUserArray: Total, then Next for each index, each element copied by
 * {@code reader}. The elements belong to the array and are never released; the caller releases the array.
 */
final class NativeArrays {

    private NativeArrays() {
    }

    static <T> List<T> read(ComObject array, Function<Pointer, T> reader) {
        int total = array.callInt(ArraySlots.TOTAL);
        List<T> items = new ArrayList<>(Math.max(0, total));
        for (int i = 0; i < total; i++) {
            Pointer item = array.callPointer(ArraySlots.NEXT, i);
            if (item == null) {
                break;
            }
            items.add(reader.apply(item));
        }
        return items;
    }
}

package io.mt5crmhub.gateway.nativeapi;

import com.sun.jna.Pointer;

/** Copies every field the hub needs out of an IMTPosition; the object itself may vanish right after. */
final class PositionReader {

    private PositionReader() {
    }

    static NativePosition read(Pointer pointer) {
        ComObject p = new ComObject(pointer);
        return new NativePosition(
                p.callLong(PositionSlots.POSITION),
                p.callLong(PositionSlots.LOGIN),
                p.callInt(PositionSlots.ACTION),
                p.callText(PositionSlots.SYMBOL),
                p.callLong(PositionSlots.VOLUME),
                p.callDouble(PositionSlots.PRICE_OPEN),
                p.callDouble(PositionSlots.PRICE_CURRENT),
                p.callDouble(PositionSlots.PRICE_SL),
                p.callDouble(PositionSlots.PRICE_TP),
                p.callDouble(PositionSlots.PROFIT),
                p.callDouble(PositionSlots.STORAGE),
                p.callText(PositionSlots.COMMENT),
                p.callLong(PositionSlots.TIME_CREATE_MSC),
                p.callLong(PositionSlots.TIME_UPDATE_MSC));
    }
}

package io.mt5crmhub.gateway.nativeapi;

import com.sun.jna.Pointer;

/** Copies every field the hub needs out of an IMTDeal; the object itself may vanish right after. */
final class DealReader {

    private DealReader() {
    }

    static NativeDeal read(Pointer pointer) {
        ComObject deal = new ComObject(pointer);
        return new NativeDeal(
                deal.callLong(DealSlots.DEAL),
                deal.callLong(DealSlots.LOGIN),
                deal.callLong(DealSlots.ORDER),
                deal.callInt(DealSlots.ACTION),
                deal.callInt(DealSlots.ENTRY),
                deal.callInt(DealSlots.REASON),
                deal.callInt(DealSlots.DIGITS),
                deal.callText(DealSlots.SYMBOL),
                deal.callLong(DealSlots.VOLUME),
                deal.callDouble(DealSlots.PRICE),
                deal.callDouble(DealSlots.PROFIT),
                deal.callDouble(DealSlots.STORAGE),
                deal.callDouble(DealSlots.COMMISSION),
                deal.callLong(DealSlots.POSITION_ID),
                deal.callText(DealSlots.COMMENT),
                deal.callLong(DealSlots.TIME_MSC));
    }
}

package io.mt5crmhub.gateway.nativeapi;

import com.sun.jna.Pointer;

/** Copies every field the hub needs out of an IMTUser; the object itself may vanish right after. */
final class UserReader {

    private UserReader() {
    }

    static NativeUser read(Pointer pointer) {
        ComObject u = new ComObject(pointer);
        return new NativeUser(
                u.callLong(UserSlots.LOGIN),
                u.callText(UserSlots.GROUP),
                u.callText(UserSlots.NAME),
                u.callText(UserSlots.FIRST_NAME),
                u.callText(UserSlots.LAST_NAME),
                u.callText(UserSlots.EMAIL),
                u.callInt(UserSlots.LEVERAGE),
                u.callDouble(UserSlots.BALANCE),
                u.callDouble(UserSlots.CREDIT),
                u.callLong(UserSlots.AGENT),
                u.callLong(UserSlots.REGISTRATION));
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The function behind a vtable slot: the pointer at byte 8 x slot of the object's vtable, wrapped once per
 * (vtable, slot) with JNA's default calling convention, which is the platform's own (Microsoft x64 for the DLL on
 * Windows, SysV for the stand-in on Linux).
 */
final class SlotFunctions {

    private record Key(long vtable, int slot) {
    }

    private static final ConcurrentHashMap<Key, Function> CACHE = new ConcurrentHashMap<>();

    private SlotFunctions() {
    }

    static Function of(Pointer object, int slot) {
        Pointer vtable = object.getPointer(0);
        return CACHE.computeIfAbsent(new Key(Pointer.nativeValue(vtable), slot),
                key -> Function.getFunction(vtable.getPointer((long) slot * Native.POINTER_SIZE)));
    }
}

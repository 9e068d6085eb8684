package io.mt5crmhub.gateway.nativeapi;

import java.util.List;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A sink the library calls: an 8-byte object holding the address of a vtable whose slots are JNA callbacks
 * (section 7 of the ABI reference). Kept for the life of the process, with its callbacks and both memory blocks:
 * the library may call it until Unsubscribe returns, and a collected callback would crash its network thread.
 */
final class SinkObject {

    /** Trailing no-op slots in case a newer library calls a method we do not know yet. */
    private static final int SPARE_SLOTS = 4;
    private static final SinkCallbacks.Spare SPARE = sink -> 0;

    private final List<Callback> callbacks; // held only so that they are never collected
    private final Memory vtable;
    private final Memory object;

    SinkObject(String name, List<Callback> slots) {
        this.callbacks = List.copyOf(slots);
        this.vtable = new Memory((long) (slots.size() + SPARE_SLOTS) * Native.POINTER_SIZE);
        // the library's network thread stays attached to the JVM between events instead of attaching on each one
        CallbackThreadInitializer attached = new CallbackThreadInitializer(true, false, "mt5-native-" + name);
        for (int slot = 0; slot < slots.size() + SPARE_SLOTS; slot++) {
            Callback callback = slot < slots.size() ? slots.get(slot) : SPARE;
            Native.setCallbackThreadInitializer(callback, attached);
            vtable.setPointer((long) slot * Native.POINTER_SIZE, CallbackReference.getFunctionPointer(callback));
        }
        this.object = new Memory(Native.POINTER_SIZE);
        object.setPointer(0, vtable);
        ProcessLifetime.keep(this);
    }

    /** The address to pass to a Subscribe method. */
    Pointer pointer() {
        return object;
    }
}

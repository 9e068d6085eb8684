package io.mt5crmhub.gateway.nativeapi;

import java.util.Objects;

import com.sun.jna.Pointer;

/**
 * An object of the Manager API: a pointer to a word holding its vtable. Every call passes the object itself as
 * the first argument, then the method's parameters in declared order (section 5 of the ABI reference). Results
 * that are unsigned in C come back as Java's signed types; callers convert where it matters.
 */
public final class ComObject {

    private final Pointer pointer;

    public ComObject(Pointer pointer) {
        this.pointer = Objects.requireNonNull(pointer, "a NULL MT5 object");
    }

    public Pointer pointer() {
        return pointer;
    }

    public int callInt(int slot, Object... args) {
        return (Integer) SlotFunctions.of(pointer, slot).invoke(int.class, withThis(args));
    }

    public long callLong(int slot, Object... args) {
        return (Long) SlotFunctions.of(pointer, slot).invoke(long.class, withThis(args));
    }

    public double callDouble(int slot, Object... args) {
        return (Double) SlotFunctions.of(pointer, slot).invoke(double.class, withThis(args));
    }

    /** A pointer result, NULL as {@code null}. */
    public Pointer callPointer(int slot, Object... args) {
        return (Pointer) SlotFunctions.of(pointer, slot).invoke(Pointer.class, withThis(args));
    }

    public void callVoid(int slot, Object... args) {
        SlotFunctions.of(pointer, slot).invoke(void.class, withThis(args));
    }

    /** A UTF-16 string result, copied at once: it points into the object's own storage. */
    public String callText(int slot, Object... args) {
        return Utf16.read(callPointer(slot, args));
    }

    private Object[] withThis(Object[] args) {
        Object[] all = new Object[args.length + 1];
        all[0] = pointer;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * UTF-16LE text as the Manager API passes it. Never JNA's {@code WString}: its {@code wchar_t} is 4 bytes on Linux;
 * and never {@code getString(offset, "UTF-16LE")}, which stops at the first zero byte, not the first zero unit.
 */
public final class Utf16 {

    /** Longest string read from the library, in units: a guard against a pointer to garbage. */
    private static final int MAX_UNITS = 65_536;

    private Utf16() {
    }

    /** A NUL-terminated copy of {@code text} in native memory, alive as long as the returned object is. */
    public static Memory text(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_16LE);
        Memory memory = new Memory(bytes.length + 2L);
        memory.write(0, bytes, 0, bytes.length);
        memory.setShort(bytes.length, (short) 0);
        return memory;
    }

    /** Copies the NUL-terminated string at {@code pointer}; empty for NULL. */
    public static String read(Pointer pointer) {
        if (pointer == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < MAX_UNITS; i++) {
            char unit = (char) pointer.getShort(2L * i);
            if (unit == 0) {
                return text.toString();
            }
            text.append(unit);
        }
        throw new IllegalStateException("a UTF-16 string from the MT5 library has no terminator in " + MAX_UNITS
                + " units");
    }
}

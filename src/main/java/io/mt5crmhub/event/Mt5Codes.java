package io.mt5crmhub.event;

/** The one lookup from an MT5 enum's numeric code to its constant, for the enums that carry MT5's codes. */
final class Mt5Codes {

    /** An enum constant with its MT5 code. */
    interface Coded {
        int code();
    }

    private Mt5Codes() {
    }

    /** @throws IllegalArgumentException {@code unknown MT5 <what> code <code>} for a code MT5 has not defined */
    static <E extends Enum<E> & Coded> E of(Class<E> type, int code, String what) {
        for (E constant : type.getEnumConstants()) {
            if (constant.code() == code) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown MT5 " + what + " code " + code);
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.math.BigDecimal;
import java.util.function.IntFunction;

/** Raw values of the library as the contract wants them: decimals by their shortest text, codes as enums. */
final class NativeValues {

    private NativeValues() {
    }

    /** A double as a decimal by its shortest text, never by double arithmetic; NaN and infinities are absurd. */
    static BigDecimal decimal(String field, double value) throws MalformedRecordException {
        if (!Double.isFinite(value)) {
            throw new MalformedRecordException(field + " is " + value);
        }
        return tidy(BigDecimal.valueOf(value));
    }

    /** MT5 volumes are in 1/10000 lot, unsigned. */
    static BigDecimal lots(long volume) {
        return tidy(new BigDecimal(Long.toUnsignedString(volume)).movePointLeft(4));
    }

    /** The enum of an MT5 code; a code outside the enumeration is one this hub does not know. */
    static <T> T code(String field, int code, IntFunction<T> ofCode) throws MalformedRecordException {
        try {
            return ofCode.apply(code);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(field + " " + Integer.toUnsignedString(code)
                    + " is an MT5 code this hub does not know");
        }
    }

    private static BigDecimal tidy(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}

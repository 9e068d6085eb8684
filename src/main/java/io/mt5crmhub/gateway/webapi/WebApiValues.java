package io.mt5crmhub.gateway.webapi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * How MT5 writes the values of its Web API records, and how they are read without guessing: numbers usually come as
 * JSON strings ({@code "Deal":"11918642"}) and are read as ASCII digits only, decimals never through a double, times
 * as seconds or milliseconds from 1970 to 9999, volumes in MT5 units; field names without regard to case. A value
 * that does not fit is a {@link WebApiException#protocol protocol error} naming the field.
 */
final class WebApiValues {

    private static final BigDecimal VOLUME_UNITS = BigDecimal.valueOf(10_000);
    /** Digits an MT5 number may have before and after the point: beyond is garbage, not money or volume. */
    private static final int MAX_DIGITS = 24;
    /** The last millisecond of year 9999: MT5 times past it (or before 1970) are garbage. */
    private static final long MAX_MILLIS = 253_402_300_799_999L;
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]{1,19}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,9})?");

    private WebApiValues() {
    }

    /** {@code value * unit} as milliseconds when that is a time from 1970 to 9999, else null. */
    static Long inRange(Long value, long unit) {
        if (value == null || value < 0 || value > MAX_MILLIS / unit) {
            return null;
        }
        return value * unit;
    }

    /**
     * A field by name, ignoring case (MT5 is not consistent about it: {@code Total} and {@code total}, {@code Email}
     * and {@code EMail}); a missing node when absent.
     */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return MissingNode.getInstance();
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                return f.getValue();
            }
        }
        return MissingNode.getInstance();
    }

    /** Volume in lots: {@code VolumeExt} (1e-8 lot) when present, else {@code Volume} (1e-4 lot). */
    static BigDecimal volume(JsonNode node) throws WebApiException {
        JsonNode ext = field(node, "VolumeExt");
        if (!isBlank(ext)) {
            BigDecimal value = parseDecimal(ext, "VolumeExt");
            if (value.signum() != 0) {
                return tidy(value.movePointLeft(8));
            }
        }
        JsonNode plain = field(node, "Volume");
        return isBlank(plain) ? BigDecimal.ZERO : tidy(parseDecimal(plain, "Volume").divide(VOLUME_UNITS));
    }

    /** A time field: {@code <name>Msc} (milliseconds) when present, else {@code <name>} (seconds). */
    static Instant time(JsonNode node, String name, ServerClock clock) throws WebApiException {
        JsonNode msc = field(node, name + "Msc");
        if (!isBlank(msc)) {
            return clock.toUtc(millis(parseLong(msc, name + "Msc"), 1, name + "Msc"));
        }
        return clock.toUtc(millis(requireLong(node, name), 1000, name));
    }

    static long millis(long value, long unit, String name) throws WebApiException {
        Long millis = inRange(value, unit);
        if (millis == null) {
            throw WebApiException.protocol(name + "=" + value + " is out of range (1970 to 9999)");
        }
        return millis;
    }

    static BigDecimal decimal(JsonNode node, String name) throws WebApiException {
        JsonNode value = field(node, name);
        return isBlank(value) ? BigDecimal.ZERO : parseDecimal(value, name);
    }

    static BigDecimal parseDecimal(JsonNode value, String name) throws WebApiException {
        BigDecimal number;
        if (value.isNumber()) {
            number = value.decimalValue();
        } else {
            // ASCII only: BigDecimal would take other scripts' digits, and NaN or 1,5 are not numbers
            String text = value.asText().trim();
            if (!value.isTextual() || !DECIMAL.matcher(text).matches()) {
                throw WebApiException.protocol(name + "='" + abbreviate(value.asText()) + "' is not a number");
            }
            try {
                number = new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw WebApiException.protocol(name + "='" + abbreviate(text) + "' is out of range");
            }
        }
        // 1E+999999999 is a valid decimal; turning it into plain digits later would never end
        if (number.precision() - number.scale() > MAX_DIGITS || number.scale() > MAX_DIGITS) {
            throw WebApiException.protocol(name + "='" + abbreviate(value.asText()) + "' is out of range");
        }
        return number;
    }

    static long requireLong(JsonNode node, String name) throws WebApiException {
        JsonNode value = field(node, name);
        if (isBlank(value)) {
            throw WebApiException.protocol("the record has no " + name + ": " + abbreviate(String.valueOf(node)));
        }
        return parseLong(value, name);
    }

    /** Tickets and logins: MT5 numbers them from 1. */
    static long requirePositive(JsonNode node, String name) throws WebApiException {
        long value = requireLong(node, name);
        if (value <= 0) {
            throw WebApiException.protocol(name + "=" + value + " is not a positive MT5 number");
        }
        return value;
    }

    static long longOr(JsonNode node, String name, long defaultValue) throws WebApiException {
        JsonNode value = field(node, name);
        return isBlank(value) ? defaultValue : parseLong(value, name);
    }

    static long parseLong(JsonNode value, String name) throws WebApiException {
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw WebApiException.protocol(name + "=" + abbreviate(value.asText()) + " is out of range");
            }
            return value.asLong();
        }
        Long parsed = value.isTextual() ? tryLong(value.asText()) : null;
        if (parsed == null) {
            throw WebApiException.protocol(name + "='" + abbreviate(value.asText())
                    + "' is not a whole number (or out of range)");
        }
        return parsed;
    }

    /** ASCII digits only: Long.parseLong would read "５０" (full width) as 50. */
    static Long tryLong(String text) {
        String trimmed = text.trim();
        if (!WHOLE.matcher(trimmed).matches()) {
            return null;
        }
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String text(JsonNode node, String name) throws WebApiException {
        JsonNode value = field(node, name);
        if (value.isContainerNode()) {
            throw WebApiException.protocol(name + " is not text: " + abbreviate(value.toString()));
        }
        return isBlank(value) ? "" : value.asText();
    }

    static boolean isBlank(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank());
    }

    /** Without trailing zeros, but never in exponent form (1E+1). */
    static BigDecimal tidy(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}

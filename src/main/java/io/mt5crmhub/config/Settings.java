package io.mt5crmhub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of the hub's settings: the one place where a setting's text becomes a number, a flag, a duration or
 * an instant. Values come from a lookup (Camel's properties: {@code application.properties}, then the environment
 * overriding key by key). Every failed read throws a {@link ConfigurationException} that names the full key and,
 * unless the key is a secret, the bad value.
 * <p>
 * The {@code hub.*} settings have their defaults in {@code application.properties} (the jar carries a copy), so
 * the hub reads them with the methods without a default: a key missing there is a broken build, reported by name.
 * Settings keyed by an id ({@code mt5.server.<id>.*}) cannot be listed there and keep their defaults in the
 * settings record that reads them.
 */
public class Settings {

    private final Function<String, Optional<String>> lookup;
    private final String prefix;

    protected Settings(Function<String, Optional<String>> lookup, String prefix) {
        this.lookup = lookup;
        this.prefix = prefix;
    }

    public static Settings of(Function<String, Optional<String>> lookup) {
        return new Settings(lookup, "");
    }

    public static Settings of(Map<String, String> values) {
        return of(key -> Optional.ofNullable(values.get(key)));
    }

    /** The same settings read below {@code prefix} ({@code under("hub.balance.")} reads {@code confirm-wait-ms}). */
    public Settings under(String prefix) {
        return new Settings(lookup, this.prefix + prefix);
    }

    /** The raw value of a full key, untrimmed; for a reader of a prefix of its own. */
    public Optional<String> getRaw(String fullKey) {
        return lookup.apply(fullKey);
    }

    /** The full key of {@code name}. */
    public String key(String name) {
        return prefix + name;
    }

    /** The value, trimmed; absent when not set or blank. */
    public Optional<String> get(String name) {
        return lookup.apply(key(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String getString(String name, String defaultValue) {
        return get(name).orElse(defaultValue);
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> missing(name));
    }

    /** A secret, untrimmed: absent from every message. */
    public String requireSecret(String name) {
        return lookup.apply(key(name)).filter(v -> !v.isEmpty()).orElseThrow(() -> missing(name));
    }

    /** A secret that may be empty (then ""): absent from every message. */
    public String getSecret(String name) {
        return lookup.apply(key(name)).orElse("");
    }

    /** A whole number in {@code min..max}; the key must be set. */
    public long getLong(String name, long min, long max) {
        return ranged(name, require(name), Long::valueOf, "a whole number", min, max, String::valueOf);
    }

    public long getLong(String name, long defaultValue, long min, long max) {
        return get(name).map(raw -> ranged(name, raw, Long::valueOf, "a whole number", min, max, String::valueOf))
                .orElse(defaultValue);
    }

    /** A whole number in {@code min..max}; the key must be set. */
    public int getInt(String name, int min, int max) {
        return (int) getLong(name, min, max);
    }

    public double getDouble(String name, double defaultValue, double min, double max) {
        return get(name).map(raw -> ranged(name, raw, Double::valueOf, "a number", min, max, String::valueOf))
                .orElse(defaultValue);
    }

    /** {@code true} or {@code false}; the key must be set. */
    public boolean getBoolean(String name) {
        return parseBoolean(name, require(name));
    }

    public boolean getBoolean(String name, boolean defaultValue) {
        Optional<String> raw = get(name);
        return raw.isEmpty() ? defaultValue : parseBoolean(name, raw.get());
    }

    /** A duration such as {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h} (see {@link Durations}). */
    public Duration getDuration(String name, Duration defaultValue, Duration min, Duration max) {
        return get(name).map(raw -> ranged(name, raw, Durations::parse, "a duration such as " + Durations.EXAMPLES,
                min, max, Durations::format)).orElse(defaultValue);
    }

    /** A whole number of {@code unit}s in {@code min..max} (keys such as {@code ...-ms}, {@code ...-seconds}). */
    public Duration getDuration(String name, java.time.temporal.ChronoUnit unit, long min, long max) {
        return Duration.of(getLong(name, min, max), unit);
    }

    public Optional<Instant> getInstant(String name) {
        Optional<String> raw = get(name);
        try {
            return raw.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new ConfigurationException(key(name) + "='" + raw.get()
                    + "' is not an ISO-8601 UTC instant such as 2026-11-24T00:00:00Z");
        }
    }

    public Path getPath(String name, String defaultValue) {
        return Path.of(getString(name, defaultValue));
    }

    private ConfigurationException missing(String name) {
        return new ConfigurationException(key(name) + " is required");
    }

    /** {@code raw} parsed and checked against {@code min..max}; a failure names the key and the text. */
    private <T extends Comparable<? super T>> T ranged(String name, String raw, Function<String, T> parse,
            String expected, T min, T max, Function<T, String> show) {
        T value;
        try {
            value = parse.apply(raw);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigurationException(key(name) + "='" + raw + "' is not " + expected);
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigurationException(key(name) + "=" + raw + " is out of range " + show.apply(min) + ".."
                    + show.apply(max));
        }
        return value;
    }

    private boolean parseBoolean(String name, String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(key(name) + "='" + raw + "' is not true or false");
        };
    }
}

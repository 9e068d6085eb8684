package io.mt5crmhub.gateway;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code mt5.server.<id>.*} settings of one MT5 server. Values are looked up key by key so that
 * environment variables override the file ({@code mt5.server.sim.rate} -> {@code MT5_SERVER_SIM_RATE}).
 * Every typed read that fails names the full key and the bad value; secrets are never echoed.
 */
public final class ServerSettings {

    public static final String PREFIX = "mt5.server.";

    private final String id;
    private final Function<String, Optional<String>> lookup;

    public ServerSettings(String id, Function<String, Optional<String>> lookup) {
        this.id = id;
        this.lookup = lookup;
    }

    public String id() {
        return id;
    }

    public String key(String name) {
        return PREFIX + id + "." + name;
    }

    public Optional<String> get(String name) {
        return lookup.apply(key(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String getString(String name, String defaultValue) {
        return get(name).orElse(defaultValue);
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> new ConfigurationException(key(name) + " is required"));
    }

    /** A secret: absent from every message. */
    public String requireSecret(String name) {
        return lookup.apply(key(name)).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new ConfigurationException(key(name) + " is required"));
    }

    public long getLong(String name, long defaultValue, long min, long max) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key(name) + "='" + raw.get() + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new ConfigurationException(key(name) + "=" + value + " is out of range " + min + ".." + max);
        }
        return value;
    }

    public double getDouble(String name, double defaultValue, double min, double max) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        double value;
        try {
            value = Double.parseDouble(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key(name) + "='" + raw.get() + "' is not a number");
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigurationException(key(name) + "=" + raw.get() + " is out of range " + min + ".." + max);
        }
        return value;
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
}

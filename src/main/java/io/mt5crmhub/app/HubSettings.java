package io.mt5crmhub.app;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import io.mt5crmhub.config.ConfigurationException;

/** The hub's own settings ({@code hub.*}); MT5 servers are read by the gateway factory. */
public record HubSettings(String dbUrl, String dbUsername, String dbPassword, int dbPoolSize, int httpPort,
        boolean rabbitmqEnabled, boolean crmRestEnabled, Duration loginMapCacheTtl) {

    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/hub";

    public static HubSettings load(Function<String, Optional<String>> lookup) {
        String url = value(lookup, "hub.db.url").orElse(DEFAULT_DB_URL);
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("hub.db.url must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        String username = value(lookup, "hub.db.username").orElse(url.startsWith("jdbc:h2:") ? "sa" : null);
        String password = lookup.apply("hub.db.password").orElse("");
        int poolSize = intValue(lookup, "hub.db.pool-size", 10, 1, 200);
        int httpPort = intValue(lookup, "hub.http.port", 8080, 0, 65535);
        Optional<String> rabbitUri = value(lookup, "hub.rabbitmq.uri");
        if (rabbitUri.isPresent() && !rabbitUri.get().matches("amqps?://.+")) {
            throw new ConfigurationException("hub.rabbitmq.uri must be an amqp:// or amqps:// URI");
        }
        Optional<String> restUrl = value(lookup, "hub.crm.rest.url");
        if (restUrl.isPresent() && !restUrl.get().matches("https?://.+")) {
            throw new ConfigurationException("hub.crm.rest.url must be an http:// or https:// URL");
        }
        intValue(lookup, "hub.rabbitmq.max-inflight", 20, 1, 100_000);
        intValue(lookup, "hub.rabbitmq.batch-size", 100, 1, 10_000);
        int cacheSeconds = intValue(lookup, "hub.login-map.cache-seconds", 10, 0, 3600);
        return new HubSettings(url, username, password, poolSize, httpPort, rabbitUri.isPresent(), restUrl.isPresent(),
                Duration.ofSeconds(cacheSeconds));
    }

    private static Optional<String> value(Function<String, Optional<String>> lookup, String key) {
        return lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static int intValue(Function<String, Optional<String>> lookup, String key, int dflt, int min, int max) {
        Optional<String> raw = value(lookup, key);
        if (raw.isEmpty()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.get());
            if (v < min || v > max) {
                throw new ConfigurationException(key + "=" + v + " is out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + "='" + raw.get() + "' is not a whole number");
        }
    }
}

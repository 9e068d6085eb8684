package io.mt5crmhub.redis;

import java.time.Duration;
import java.util.Optional;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Secrets;
import io.mt5crmhub.config.Settings;

/**
 * The Redis Streams sink ({@code hub.redis.*}); on when {@code hub.redis.uri} is set. The streams, their length and
 * the dedupe window are the redis-streams-sink connector's, read by its route from the properties; they are checked
 * here so that a bad one stops start-up with the key named.
 *
 * @param uri the server; carries credentials, so it is masked in {@link #toString()}
 */
public record RedisSettings(Optional<String> uri, int batchSize) {

    public static RedisSettings from(Settings settings) {
        Optional<String> uri = settings.get("hub.redis.uri");
        if (uri.isPresent() && !uri.get().matches("rediss?://.+")) {
            throw new ConfigurationException("hub.redis.uri must be a redis:// or rediss:// URI");
        }
        for (String stream : new String[] {"deals", "positions", "accounts"}) {
            if (settings.require("hub.redis.stream." + stream).isBlank()) {
                throw new ConfigurationException("hub.redis.stream." + stream + " must name a stream");
            }
        }
        settings.getLong("hub.redis.max-len", 0, Long.MAX_VALUE);
        settings.getDuration("hub.redis.dedupe-ttl", Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofDays(365));
        return new RedisSettings(uri, settings.getInt("hub.redis.batch-size", 1, 10_000));
    }

    public boolean enabled() {
        return uri.isPresent();
    }

    @Override
    public String toString() {
        return "RedisSettings[uri=" + uri.map(Secrets::maskUrl).orElse("(off)") + ", batchSize=" + batchSize + "]";
    }
}

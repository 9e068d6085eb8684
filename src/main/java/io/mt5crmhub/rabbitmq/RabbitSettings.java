package io.mt5crmhub.rabbitmq;

import java.util.Optional;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Secrets;
import io.mt5crmhub.config.Settings;

/**
 * The RabbitMQ fan-out ({@code hub.rabbitmq.*}); on when {@code hub.rabbitmq.uri} is set.
 *
 * @param uri         the broker; carries credentials, so it is masked in {@link #toString()}
 * @param batchSize   events per exchange at most
 * @param maxInflight exchanges routed at once per stream while waiting for confirms
 */
public record RabbitSettings(Optional<String> uri, String exchange, boolean declareTopology, int batchSize,
        int maxInflight) {

    public static RabbitSettings from(Settings settings) {
        Optional<String> uri = settings.get("hub.rabbitmq.uri");
        if (uri.isPresent() && !uri.get().matches("amqps?://.+")) {
            throw new ConfigurationException("hub.rabbitmq.uri must be an amqp:// or amqps:// URI");
        }
        return new RabbitSettings(uri, settings.require("hub.rabbitmq.exchange"),
                settings.getBoolean("hub.rabbitmq.declare-topology"),
                settings.getInt("hub.rabbitmq.batch-size", 1, 10_000),
                settings.getInt("hub.rabbitmq.max-inflight", 1, 100_000));
    }

    public boolean enabled() {
        return uri.isPresent();
    }

    @Override
    public String toString() {
        return "RabbitSettings[uri=" + uri.map(Secrets::maskUrl).orElse("(off)") + ", exchange=" + exchange
                + ", batchSize=" + batchSize + ", maxInflight=" + maxInflight + "]";
    }
}

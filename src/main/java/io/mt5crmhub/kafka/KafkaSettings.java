package io.mt5crmhub.kafka;

import java.time.Duration;
import java.util.Optional;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;

/**
 * The Kafka sink ({@code hub.kafka.*}); on when {@code hub.kafka.bootstrap-servers} is set. The topics, the
 * transactional id prefix and the timeout are the mt5-kafka-sink connector's, read by its route from the properties;
 * they are checked here so that a bad one stops start-up with the key named.
 */
public record KafkaSettings(Optional<String> bootstrapServers, int batchSize) {

    private static final String HOST_PORT = "[^,\\s]+:\\d{1,5}";
    /** What Kafka accepts as a topic name. */
    private static final String TOPIC = "[a-zA-Z0-9._-]{1,249}";

    public static KafkaSettings from(Settings settings) {
        Optional<String> servers = settings.get("hub.kafka.bootstrap-servers");
        if (servers.isPresent() && !servers.get().matches(HOST_PORT + "(\\s*,\\s*" + HOST_PORT + ")*")) {
            throw new ConfigurationException("hub.kafka.bootstrap-servers must be a comma list of host:port, such as"
                    + " kafka1:9092,kafka2:9092");
        }
        for (String entity : new String[] {"deals", "positions", "accounts"}) {
            String topic = settings.require("hub.kafka.topic." + entity);
            if (!topic.matches(TOPIC)) {
                throw new ConfigurationException("hub.kafka.topic." + entity + "='" + topic
                        + "' is not a Kafka topic name (letters, digits, '.', '_', '-')");
            }
        }
        if (!settings.require("hub.kafka.transactional-id-prefix").matches("[a-zA-Z0-9._-]+")) {
            throw new ConfigurationException("hub.kafka.transactional-id-prefix may hold letters, digits, '.', '_' and"
                    + " '-' only");
        }
        settings.get("hub.kafka.client-config").ifPresent(file -> {
            if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
                throw new ConfigurationException("hub.kafka.client-config: cannot read the Kafka client properties file "
                        + file);
            }
        });
        settings.getDuration("hub.kafka.timeout", Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofMinutes(5));
        return new KafkaSettings(servers, settings.getInt("hub.kafka.batch-size", 1, 10_000));
    }

    public boolean enabled() {
        return bootstrapServers.isPresent();
    }
}

package io.mt5crmhub.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The settings of the sink's Kafka clients: what an optional client properties file says (security: TLS, SASL and
 * their secrets; tuning), under the settings the hub's guarantees rest on, which the file may not name. The file's
 * values are never logged.
 */
final class ClientProperties {

    /** Settings the hub decides for its producers; a file naming one is refused. */
    static final Set<String> HUB_OWNED = Set.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    private final Properties fromFile;

    private ClientProperties(Properties fromFile) {
        this.fromFile = fromFile;
    }

    /** The file's settings, or none when {@code file} is null or blank. */
    static ClientProperties load(String file) {
        Properties properties = new Properties();
        if (file != null && !file.isBlank()) {
            try (Reader reader = Files.newBufferedReader(Path.of(file))) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the Kafka client properties file " + file + ": "
                        + e.getMessage(), e);
            }
            Set<String> owned = new TreeSet<>(properties.stringPropertyNames());
            owned.retainAll(HUB_OWNED);
            if (!owned.isEmpty()) {
                throw new IllegalArgumentException("the Kafka client properties file " + file + " sets " + owned
                        + ": the hub sets these itself (hub.kafka.* keys)");
            }
        }
        return new ClientProperties(properties);
    }

    /** A transactional, idempotent producer of byte arrays for one MT5 server. */
    Properties producer(String bootstrapServers, String transactionalId, Duration timeout) {
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.putAll(fromFile);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // idempotence keeps each partition's order with up to 5 requests in flight
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** The admin client that checks topics and pings the brokers. */
    Properties admin(String bootstrapServers, String clientId, Duration timeout) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        fromFile.stringPropertyNames().stream().filter(ClientProperties::appliesToAdmin)
                .forEach(key -> props.put(key, fromFile.getProperty(key)));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        return props;
    }

    /** Connection and security settings are shared; producer tuning is not the admin client's. */
    private static boolean appliesToAdmin(String key) {
        return !ProducerConfig.configNames().contains(key) || key.startsWith("security.") || key.startsWith("sasl.")
                || key.startsWith("ssl.") || key.startsWith("client.dns.") || key.startsWith("socket.")
                || key.startsWith("reconnect.") || key.startsWith("connections.") || key.startsWith("metadata.");
    }
}

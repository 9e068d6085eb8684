package io.mt5crmhub.kafka;

import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN while the Kafka sink cannot reach the brokers, or once the broker fenced the producer of an MT5 server (another
 * hub writes it now): says which and since when.
 */
public class KafkaHealthCheck extends AbstractHealthCheck {

    private final KafkaTransactionalPublisher publisher;

    KafkaHealthCheck(KafkaTransactionalPublisher publisher) {
        super("hub", "kafka");
        this.publisher = publisher;
    }

    @Override
    public boolean isLiveness() {
        return false; // a Kafka outage makes the hub not ready, it does not make it dead
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("kafka.since", publisher.stateSince().toString());
        List<String> fenced = publisher.fencings();
        if (!fenced.isEmpty()) {
            builder.detail("kafka.fenced.servers", String.join(",", publisher.fencedServers()));
            builder.down().message(String.join("; ", fenced));
        } else if (publisher.isReachable()) {
            builder.up();
        } else {
            builder.down().message("Kafka is not reachable: " + publisher.problem());
        }
    }
}

package io.mt5crmhub.rabbitmq;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** DOWN while the RabbitMQ publisher has no connection; says why and since when. */
public class RabbitHealthCheck extends AbstractHealthCheck {

    private final ConfirmingPublisher publisher;

    public RabbitHealthCheck(ConfirmingPublisher publisher) {
        super("hub", "rabbitmq");
        this.publisher = publisher;
    }

    @Override
    public boolean isLiveness() {
        return false; // a broker outage makes the hub not ready, it does not make it dead
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("rabbitmq.since", publisher.stateSince().toString());
        builder.detail("rabbitmq.unconfirmed", publisher.unconfirmed());
        builder.detail("rabbitmq.held", publisher.held());
        if (publisher.isConnected()) {
            builder.up();
        } else {
            builder.down().message("RabbitMQ is not connected: " + publisher.problem());
        }
    }
}

package io.mt5crmhub.component;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN when a server this consumer reads is not connected, or when a feed thread died: like Debezium's engine,
 * a dead feed does not restart itself and nothing would flow.
 */
public class Mt5ConsumerHealthCheck extends AbstractHealthCheck {

    private final Mt5Consumer consumer;

    public Mt5ConsumerHealthCheck(Mt5Consumer consumer, String routeId) {
        super("camel", "consumer:mt5:" + routeId);
        this.consumer = consumer;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        for (Mt5Feed feed : consumer.feeds()) {
            Mt5Connection connection = feed.connection();
            builder.detail("mt5." + feed.serverId() + ".gateway", connection.gatewayName());
            builder.detail("mt5." + feed.serverId() + ".connected", connection.isConnected());
            builder.detail("mt5." + feed.serverId() + ".since", connection.stateSince().toString());
            builder.detail("mt5." + feed.serverId() + ".pending", feed.pending());
            builder.detail("mt5." + feed.serverId() + ".held", feed.held());
            builder.detail("mt5." + feed.serverId() + ".overflowed", feed.overflowed());
            builder.detail("mt5." + feed.serverId() + ".lag-seconds", Math.round(feed.lagSeconds() * 10) / 10.0);
            builder.detail("mt5." + feed.serverId() + ".skipped-records", connection.source().skippedRecords());
            builder.detail("mt5." + feed.serverId() + ".dropped-events", connection.source().droppedEvents());
            if (feed.failure() != null || !feed.isAlive()) {
                builder.down().message("the mt5 feed of server " + feed.serverId() + " stopped: "
                        + (feed.failure() == null ? "thread ended" : feed.failure().getMessage()));
                if (feed.failure() != null) {
                    builder.error(feed.failure());
                }
                return;
            }
            if (!connection.isConnected()) {
                builder.down().message("MT5 server " + feed.serverId() + " is not connected"
                        + (connection.lastProblem() == null ? "" : ": " + connection.lastProblem()));
                return;
            }
        }
    }
}

package io.mt5crmhub.component;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN when a server this consumer reads is not connected, or when a feed thread died: like Debezium's engine,
 * a dead feed does not restart itself and nothing would flow. With several hub instances sharing the servers, a
 * server another instance owns is no reason to be DOWN (a load balancer would cycle healthy stand-bys); one paused
 * because the cluster service is lost is.
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
            var ownership = consumer.ownership().flatMap(o -> o.stateOf(feed.serverId()));
            if (ownership.isPresent()) {
                ClusterOwnership.ServerState state = ownership.get();
                builder.detail("mt5." + feed.serverId() + ".ownership", state.state());
                builder.detail("mt5." + feed.serverId() + ".owner", String.valueOf(state.leaderId()));
                builder.detail("mt5." + feed.serverId() + ".epoch", state.epoch());
                builder.detail("mt5." + feed.serverId() + ".ownership-since", state.since().toString());
                builder.detail("mt5." + feed.serverId() + ".ownership-reason", state.reason());
                if (state.state().equals("paused")) {
                    builder.down().message("MT5 server " + feed.serverId() + " paused on this instance: "
                            + state.reason());
                    return;
                }
                if (!state.state().equals("owner")) {
                    continue; // another instance reads it: this one is a healthy stand-by
                }
            }
            if (!connection.isConnected()) {
                builder.down().message("MT5 server " + feed.serverId() + " is not connected"
                        + (connection.lastProblem() == null ? "" : ": " + connection.lastProblem()));
                return;
            }
        }
    }
}

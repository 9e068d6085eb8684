package io.mt5crmhub.component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.gateway.RequestTimer;
import org.apache.camel.CamelContext;

/**
 * One MT5 server's connection as Micrometer meters, tagged with the server and its gateway: {@code
 * mt5_server_connected} (0/1), {@code mt5_server_received_events_total} by type, {@code
 * mt5_server_last_event_age_seconds}, {@code mt5_server_reconnects_total}, {@code mt5_server_skipped_records_total},
 * {@code mt5_server_dropped_events_total},
 * and the gateway's requests to MT5 as the timer {@code mt5_request_seconds} (by operation and outcome).
 */
final class Mt5ServerMetrics implements RequestTimer {

    private final HubMeters meters;
    private final Tags tags;
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();

    private Mt5ServerMetrics(HubMeters meters, Tags tags) {
        this.meters = meters;
        this.tags = tags;
    }

    static Mt5ServerMetrics register(CamelContext context, Mt5Connection connection) {
        Tags tags = Tags.of("server", connection.serverId(), "gateway", connection.gatewayName());
        Mt5ServerMetrics metrics = new Mt5ServerMetrics(HubMeters.of(context), tags);
        HubMeters meters = metrics.meters;
        meters.gauge("mt5.server.connected", null, "1 while the MT5 server is connected", tags, connection,
                c -> c.isConnected() ? 1 : 0);
        for (EventType type : ServerActivity.types()) {
            meters.counter("mt5.server.received", "events", "live events received from the MT5 server",
                    tags.and("type", type.toString()), connection.activity(), a -> a.received(type));
        }
        meters.gauge("mt5.server.last.event.age", "seconds", "time since the last live event arrived", tags,
                connection, Mt5Connection::lastEventAgeSeconds);
        meters.counter("mt5.server.reconnects", null, "connections to the MT5 server after the first", tags,
                connection.activity(), ServerActivity::reconnects);
        meters.counter("mt5.server.skipped", "records", "MT5 records with codes the hub does not know, left out",
                tags, connection, c -> c.source().skippedRecords());
        meters.counter("mt5.server.dropped", "events", "live events dropped because the gateway's inbox was full,"
                + " recovered by a back-fill", tags, connection, c -> c.source().droppedEvents());
        connection.source().timeRequests(metrics);
        return metrics;
    }

    @Override
    public void record(String operation, boolean answered, long nanos) {
        Timer timer = requestTimers.computeIfAbsent(operation + (answered ? "" : " unanswered"), key -> meters.timer(
                "mt5.request", "requests to the MT5 server, from sending to the answer",
                tags.and("operation", operation, "outcome", answered ? "answered" : "unanswered")));
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void remove() {
        meters.remove();
        requestTimers.clear();
    }
}

package io.mt5crmhub.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.mt5crmhub.component.DeadLetteredEvents;
import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.pipeline.ExchangeEvents;
import io.mt5crmhub.pipeline.HttpFailures;
import io.mt5crmhub.pipeline.RejectedEventsException;
import io.mt5crmhub.store.ServerLeases;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what could not be delivered after its retries in {@code hub_dead_letter}, with the reason, so an
 * operator can see and replay it. Used as the routes' dead letter endpoint.
 */
public class DeadLetterStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);
    private static final String INSERT = "INSERT INTO hub_dead_letter (event_id, route_id, reason, body)"
            + " VALUES (?, ?, ?, ?)";
    private static final int MAX_REASON = 4000;

    private final DataSource dataSource;
    private final ServerLeases leases;

    public DeadLetterStore(DataSource dataSource) {
        this(dataSource, ServerLeases.unfenced());
    }

    /** @param leases fences the dead letters of MT5 events by their server (those of other bodies belong to none) */
    public DeadLetterStore(DataSource dataSource, ServerLeases leases) {
        this.dataSource = dataSource;
        this.leases = leases;
    }

    /** What an operator needs: for a refused HTTP call the status and the CRM's answer, else the exception. */
    public static String reasonOf(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        HttpOperationFailedException http = HttpFailures.find(cause);
        if (http != null) {
            String body = http.getResponseBody() == null ? "" : http.getResponseBody().strip();
            return "HTTP " + http.getStatusCode() + " from " + http.getUri() + (body.isEmpty() ? "" : ": " + body);
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /**
     * Stores one row per event not delivered: those a sink step listed as {@link ExchangeEvents#UNDELIVERED
     * undelivered}, each with its own reason when the failure tells one, else every event of the body. A body that
     * is not an event (a poison message, a balance request) is stored as it is, under its {@code Mt5EventId}. The
     * exchange is marked with how many it stored ({@link DeadLetteredEvents}), so the mt5: consumer does not count
     * them as delivered.
     */
    public void store(Exchange exchange) throws SQLException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = reasonOf(cause);
        Optional<List<Mt5Event>> events = ExchangeEvents.undelivered(exchange)
                .or(() -> ExchangeEvents.carried(exchange));
        if (events.isEmpty()) {
            String eventId = exchange.getMessage().getHeader(Mt5Constants.EVENT_ID, String.class);
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
                bind(ps, eventId, exchange.getFromRouteId(), reason, exchange.getMessage().getBody(String.class));
                ps.executeUpdate();
            }
            DeadLetteredEvents.add(exchange, 1);
            LOG.warn("Dead-lettered {} from route {}: {}", eventId, exchange.getFromRouteId(), reason);
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            leases.guarded(c, events.get().stream().map(Mt5Event::server).distinct().toList(), conn -> {
                try (PreparedStatement ps = conn.prepareStatement(INSERT)) {
                    for (Mt5Event event : events.get()) {
                        String own = cause instanceof RejectedEventsException r ? r.reasonFor(event.eventId()) : null;
                        bind(ps, event.eventId(), exchange.getFromRouteId(), own != null ? own : reason,
                                EventJson.write(event));
                        ps.addBatch();
                    }
                    return ps.executeBatch();
                }
            });
        }
        DeadLetteredEvents.add(exchange, events.get().size());
        if (ExchangeEvents.isBatch(exchange) || events.get().size() != 1) {
            LOG.warn("Dead-lettered {} events from route {}: {}", events.get().size(), exchange.getFromRouteId(),
                    reason);
        } else {
            LOG.warn("Dead-lettered {} from route {}: {}", events.get().get(0).eventId(), exchange.getFromRouteId(),
                    reason);
        }
    }

    private static void bind(PreparedStatement ps, String eventId, String routeId, String reason, String body)
            throws SQLException {
        ps.setString(1, eventId);
        ps.setString(2, routeId);
        ps.setString(3, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        ps.setString(4, body);
    }
}

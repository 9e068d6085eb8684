package io.mt5crmhub.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.pipeline.HttpFailures;
import io.mt5crmhub.rabbitmq.PublishRejectedException;
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

    public DeadLetterStore(DataSource dataSource) {
        this.dataSource = dataSource;
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

    /** Stores the body's event, or each event of a list with its own reason when the failure tells one. */
    public void store(Exchange exchange) throws SQLException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = reasonOf(cause);
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> batch) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Object item : batch) {
                    Mt5Event event = (Mt5Event) item;
                    String own = cause instanceof PublishRejectedException p ? p.reasonFor(event.eventId()) : null;
                    bind(ps, event.eventId(), exchange.getFromRouteId(), own != null ? own : reason,
                            EventJson.write(event));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            LOG.warn("Dead-lettered {} events from route {}: {}", batch.size(), exchange.getFromRouteId(), reason);
            return;
        }
        String eventId = body instanceof Mt5Event e ? e.eventId() : exchange.getMessage().getHeader("Mt5EventId", String.class);
        String text = body instanceof Mt5Event e ? EventJson.write(e) : exchange.getMessage().getBody(String.class);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, eventId, exchange.getFromRouteId(), reason, text);
            ps.executeUpdate();
        }
        LOG.warn("Dead-lettered {} from route {}: {}", eventId, exchange.getFromRouteId(), reason);
    }

    private static void bind(PreparedStatement ps, String eventId, String routeId, String reason, String body)
            throws SQLException {
        ps.setString(1, eventId);
        ps.setString(2, routeId);
        ps.setString(3, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        ps.setString(4, body);
    }
}

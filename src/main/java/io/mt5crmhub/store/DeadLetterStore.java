package io.mt5crmhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import org.apache.camel.Exchange;
import io.mt5crmhub.pipeline.HttpFailures;
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
    static String reasonOf(Throwable cause) {
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

    public void store(Exchange exchange) throws SQLException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = reasonOf(cause);
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON);
        }
        Object body = exchange.getMessage().getBody();
        String eventId = body instanceof Mt5Event e ? e.eventId() : exchange.getMessage().getHeader("Mt5EventId", String.class);
        String text = body instanceof Mt5Event e ? EventJson.write(e) : exchange.getMessage().getBody(String.class);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, eventId);
            ps.setString(2, exchange.getFromRouteId());
            ps.setString(3, reason);
            ps.setString(4, text);
            ps.executeUpdate();
        }
        LOG.warn("Dead-lettered {} from route {}: {}", eventId, exchange.getFromRouteId(), reason);
    }
}

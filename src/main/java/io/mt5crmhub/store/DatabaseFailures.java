package io.mt5crmhub.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import org.apache.camel.Exchange;

/**
 * Tells a database that is away (restarting, unreachable, out of connections) from a statement it refused, for
 * the error policies: an event that failed because the database is away is retried until it is back, where a
 * refused statement would fail the same way every time and goes to the dead letters. Parking an event in the
 * dead letters because of an outage would leave a hole in the CRM until an operator replays it.
 */
public final class DatabaseFailures {

    /**
     * SQLSTATEs of a server going away or not taking connections (PostgreSQL's class 57P, 53300), and of a session
     * it ended because its transaction sat idle too long (25P03: hub.cluster.abandoned-transaction-timeout; an
     * instance frozen or starved, whose work is retried and then fenced if another instance took the server).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "25P03");

    private DatabaseFailures() {
    }

    public static boolean isUnavailable(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return isUnavailable(caught) || isUnavailable(exchange.getException());
    }

    /** Anywhere in the cause chain: connection-class SQLSTATE (08xxx), a lost or refused connection. */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}

package io.mt5crmhub.store;

import java.sql.SQLException;

/**
 * A write of an MT5 server refused because this hub instance no longer holds the server's current epoch: another
 * instance took the server over. Never retried: the instance stops that server at once, and the new owner carries on
 * from the stored checkpoints.
 */
public class FencedException extends SQLException {

    /** Not a connection-class state: {@link DatabaseFailures} must not take it for an outage and retry it. */
    static final String SQL_STATE = "HUB01";

    private final String serverId;

    public FencedException(String serverId, String message) {
        super(message, SQL_STATE);
        this.serverId = serverId;
    }

    public String serverId() {
        return serverId;
    }

    /** The fence refusal in {@code failure}'s cause chain, or null. */
    public static FencedException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FencedException fenced) {
                return fenced;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}

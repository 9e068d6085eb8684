package io.mt5crmhub.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Ending a transaction that failed. When the failure was the database going away, the pool has already closed the
 * connection (HikariCP swaps in one that answers every call with a bare "Connection is closed", no SQLSTATE), so the
 * rollback fails too; thrown in place of the failure, that would hide the outage from {@link DatabaseFailures} and turn
 * a retry into a refusal (a dead letter). The failure is what is thrown; a failed rollback is added to it.
 */
public final class Transactions {

    private Transactions() {
    }

    /** Rolls back after {@code failure}; a rollback that fails as well is added to it as suppressed. */
    public static void rollbackAfter(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException rollback) {
            failure.addSuppressed(rollback);
        }
    }

    /**
     * Puts auto-commit back before the connection returns to the pool; on a connection that is gone it leaves it (the
     * pool discards that connection, and resets auto-commit of any other on return), so that neither a committed write
     * nor the failure of one is reported as this.
     */
    public static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            if (!c.isClosed()) {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException ignored) {
            // the connection is gone: nothing to restore
        }
    }
}

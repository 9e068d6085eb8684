package io.mt5crmhub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

/** The databases the hub runs on. They differ in how a row is inserted when absent, and when a commit is on file. */
public enum SqlDialect {
    H2, POSTGRESQL;

    /** SQLState of a unique/primary key violation, the same on H2 and PostgreSQL. */
    public static final String UNIQUE_VIOLATION = "23505";

    public static SqlDialect of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            if (product.contains("h2")) {
                return H2;
            }
            throw new IllegalStateException("unsupported database '" + product + "': the hub runs on H2 or PostgreSQL");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database product: " + e.getMessage(), e);
        }
    }

    /**
     * Turns {@code INSERT INTO t (...) VALUES (...)} into an insert that does nothing when the key exists.
     * PostgreSQL gets {@code ON CONFLICT DO NOTHING} (a failed statement would abort its transaction); H2 keeps
     * the plain insert and callers treat {@link #UNIQUE_VIOLATION} as "already there".
     */
    public String insertIfAbsent(String insert) {
        return this == POSTGRESQL ? insert + " ON CONFLICT DO NOTHING" : insert;
    }

    /**
     * Puts everything committed so far on file, for a commit something outside the database relies on at once: a
     * request acknowledged, a deposit about to be sent to MT5. PostgreSQL's commit already is; H2 writes commits to
     * its file from a background thread within {@code WRITE_DELAY} (500 ms), so a killed process forgets them:
     * measured, five commits each followed by a SIGKILL all lost, and all kept with a CHECKPOINT after each. Not
     * {@code WRITE_DELAY=0} for the whole database: it serialised pages on every commit, a third of the hub's CPU with
     * MT5 simulated at full speed, and halved that configuration's throughput in the benchmark. Needs admin rights on
     * H2, as the settings {@link HubDatabase} adds to an H2 URL already do.
     */
    public void makeDurable(Connection c) throws SQLException {
        if (this == H2) {
            try (var statement = c.createStatement()) {
                statement.execute("CHECKPOINT");
            }
        }
    }

    public static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

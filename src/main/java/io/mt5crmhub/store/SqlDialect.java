package io.mt5crmhub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

/** The databases the hub runs on. They differ only in how a row is inserted when absent. */
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

    public static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

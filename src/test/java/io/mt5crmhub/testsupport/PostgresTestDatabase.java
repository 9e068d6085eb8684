package io.mt5crmhub.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own in the machine's PostgreSQL (127.0.0.1:5432, database test, trust auth), dropped at the end,
 * so integration tests never see each other's rows.
 */
public final class PostgresTestDatabase implements AutoCloseable {

    public static final String SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";

    private final String schema = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    public PostgresTestDatabase() throws SQLException {
        execute("CREATE SCHEMA " + schema);
    }

    /** This schema's name. */
    public String schema() {
        return schema;
    }

    /** The hub.db.url for this schema. */
    public String url() {
        return SERVER_URL + "?currentSchema=" + schema;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER_URL, USER, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA " + schema + " CASCADE");
    }
}

package io.mt5crmhub.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

import javax.sql.DataSource;

import io.mt5crmhub.store.JdbcInserts;
import io.mt5crmhub.store.SqlDialect;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

/**
 * Camel's JDBC idempotent repository with a single-statement, race-free {@link #add}. The stock {@code add}
 * counts then inserts in one transaction: two concurrent consumers can both see zero, and on PostgreSQL the
 * loser's primary-key violation aborts the transaction. Here the primary key decides: one insert-if-absent
 * statement ({@code ON CONFLICT DO NOTHING} on PostgreSQL, a caught duplicate key on H2), in autocommit, over
 * plain JDBC (Spring's JdbcTemplate around it cost a measurable share of the fan-out's time).
 * The table is created by the schema migrations, never by Camel.
 */
public class HubMessageIdRepository extends JdbcMessageIdRepository {

    private static final String INSERT = "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt)"
            + " VALUES (?, ?, ?)";

    private final String insertIfAbsent;
    private final DataSource dataSource;

    public HubMessageIdRepository(DataSource dataSource, SqlDialect dialect, String processorName) {
        super(dataSource, processorName);
        this.dataSource = dataSource;
        setCreateTableIfNotExists(false);
        this.insertIfAbsent = dialect.insertIfAbsent(INSERT);
    }

    @Override
    public boolean add(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(insertIfAbsent)) {
            ps.setString(1, processorName);
            ps.setString(2, key);
            ps.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
            return JdbcInserts.insertIfAbsent(ps);
        } catch (SQLException e) {
            throw new RuntimeCamelException("cannot record idempotency key " + key + ": " + e.getMessage(), e);
        }
    }
}

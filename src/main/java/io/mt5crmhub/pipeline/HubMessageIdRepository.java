package io.mt5crmhub.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

import javax.sql.DataSource;

import io.mt5crmhub.store.JdbcInserts;
import io.mt5crmhub.store.ServerLeases;
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
    private final ServerLeases leases;

    public HubMessageIdRepository(DataSource dataSource, SqlDialect dialect, String processorName) {
        this(dataSource, dialect, processorName, ServerLeases.unfenced());
    }

    /**
     * @param leases fences each key by the MT5 server its event id starts with: for a sink of the mt5: routes, whose
     *               server one instance owns (not for the CRM-side queue consumers, which any instance runs)
     */
    public HubMessageIdRepository(DataSource dataSource, SqlDialect dialect, String processorName,
            ServerLeases leases) {
        super(dataSource, processorName);
        this.dataSource = dataSource;
        this.leases = leases;
        setCreateTableIfNotExists(false);
        this.insertIfAbsent = dialect.insertIfAbsent(INSERT);
    }

    @Override
    public boolean add(String key) {
        try (Connection c = dataSource.getConnection()) {
            if (!leases.isFenced()) {
                return insert(c, key);
            }
            return leases.guarded(c, BatchingIdempotencyGate.serverOf(key), conn -> insert(conn, key));
        } catch (SQLException e) {
            throw new RuntimeCamelException("cannot record idempotency key " + key + ": " + e.getMessage(), e);
        }
    }

    private boolean insert(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertIfAbsent)) {
            ps.setString(1, processorName);
            ps.setString(2, key);
            ps.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
            return JdbcInserts.insertIfAbsent(ps);
        }
    }
}

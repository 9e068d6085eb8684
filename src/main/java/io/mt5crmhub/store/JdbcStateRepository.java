package io.mt5crmhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A Camel {@link StateRepository} in the hub database ({@code hub_checkpoint}): where each {@code mt5:}
 * consumer keeps how far it has safely processed its stream, as camel-kafka keeps offsets in its
 * {@code offsetRepository}. Camel ships file and memory repositories only; ours lives next to the data it
 * describes, so a restored database restores its checkpoints too.
 */
public class JdbcStateRepository extends ServiceSupport implements StateRepository<String, String> {

    private static final String SELECT = "SELECT checkpoint_value FROM hub_checkpoint WHERE checkpoint_key = ?";
    private static final String UPDATE = "UPDATE hub_checkpoint SET checkpoint_value = ?, updated_at = ?"
            + " WHERE checkpoint_key = ?";
    private static final String INSERT = "INSERT INTO hub_checkpoint (checkpoint_value, updated_at, checkpoint_key)"
            + " VALUES (?, ?, ?)";

    /** The key of an {@code mt5:} consumer's checkpoint starts with this and its server's id. */
    private static final String SERVER_KEY_PREFIX = "mt5:";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final ServerLeases leases;

    public JdbcStateRepository(DataSource dataSource, SqlDialect dialect) {
        this(dataSource, dialect, ServerLeases.unfenced());
    }

    /** @param leases fences the checkpoints of each server ({@code mt5:<server>:...} keys) */
    public JdbcStateRepository(DataSource dataSource, SqlDialect dialect, ServerLeases leases) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.leases = leases;
    }

    @Override
    public void setState(String key, String value) {
        try (Connection c = dataSource.getConnection()) {
            String server = serverOf(key);
            if (server == null) {
                upsert(c, key, value);
            } else {
                leases.guarded(c, server, conn -> upsert(conn, key, value));
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("cannot store checkpoint " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String getState(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("cannot read checkpoint " + key + ": " + e.getMessage(), e);
        }
    }

    private Void upsert(Connection c, String key, String value) throws SQLException {
        if (write(c, UPDATE, key, value) == 0) {
            try (PreparedStatement ps = c.prepareStatement(dialect.insertIfAbsent(INSERT))) {
                bind(ps, key, value);
                if (!JdbcInserts.insertIfAbsent(ps)) {
                    write(c, UPDATE, key, value);
                }
            }
        }
        return null;
    }

    /** The server of an {@code mt5:<server>:<stream>:<id>} checkpoint key, or null for a key of no server. */
    static String serverOf(String key) {
        if (!key.startsWith(SERVER_KEY_PREFIX)) {
            return null;
        }
        int end = key.indexOf(':', SERVER_KEY_PREFIX.length());
        return end < 0 ? null : key.substring(SERVER_KEY_PREFIX.length(), end);
    }

    private static int write(Connection c, String sql, String key, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, key, value);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, String key, String value) throws SQLException {
        ps.setString(1, value);
        ps.setTimestamp(2, Timestamp.from(Instant.now()));
        ps.setString(3, key);
    }
}

package io.mt5crmhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

/**
 * Which hub instance owns each MT5 server, and the fence every write of a server passes ({@code hub_server_lease}).
 * <p>
 * The cluster service elects an owner per server, but an election can be wrong for a while (an instance cut off from
 * ZooKeeper keeps believing it leads: CAMEL-24457 on Camel 4.17). So the database decides: a new owner increments
 * the server's epoch in a committed transaction before it connects to MT5 ({@link #claim}), and every transaction
 * that writes state of the server first reads the epoch with a shared row lock and goes on only if it is the one this
 * instance holds ({@link #check}). The lock makes a claim wait for the writes in flight, and every write after it sees
 * the new epoch: from the claim's commit on, the former owner writes nothing for that server.
 * <p>
 * With one instance ({@link #unfenced()}) there is nothing to fence and no write pays for the check.
 */
public final class ServerLeases {

    /** An owner's lease as stored. */
    public record Lease(String serverId, String owner, long epoch, Instant since) {
    }

    private static final String SELECT = "SELECT server_id, owner, epoch, since FROM hub_server_lease WHERE server_id = ?";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final String instanceId;
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final List<Consumer<FencedException>> fenceListeners = new CopyOnWriteArrayList<>();

    private ServerLeases(DataSource dataSource, SqlDialect dialect, String instanceId) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.instanceId = instanceId;
    }

    /** Leases in the hub database for instance {@code instanceId} (hub.cluster.node-id). */
    public static ServerLeases fenced(DataSource dataSource, SqlDialect dialect, String instanceId) {
        return new ServerLeases(dataSource, dialect, instanceId);
    }

    /** One instance owns every server: {@link #check} lets every write through without a query. */
    public static ServerLeases unfenced() {
        return new ServerLeases(null, null, null);
    }

    public boolean isFenced() {
        return dataSource != null;
    }

    /** Whether writes to {@code database} are fenced: those to the hub database, with several instances. */
    public boolean guards(DataSource database) {
        return isFenced() && database == dataSource;
    }

    /** This instance's id, or null without fencing. */
    public String instanceId() {
        return instanceId;
    }

    /** Told of every refused write (the server's owner stops it on this instance). */
    public void onFenced(Consumer<FencedException> listener) {
        fenceListeners.add(listener);
    }

    /**
     * Takes {@code serverId} for this instance: its epoch plus one, committed, before anything of the server is
     * written or read from MT5. From here on writes of the former owner are refused.
     */
    public long claim(String serverId) throws SQLException {
        if (!isFenced()) {
            return 0;
        }
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (bump(c, serverId, now) == 0) {
                    try (PreparedStatement insert = c.prepareStatement(dialect.insertIfAbsent(
                            "INSERT INTO hub_server_lease (server_id, owner, epoch, since) VALUES (?, ?, 1, ?)"))) {
                        insert.setString(1, serverId);
                        insert.setString(2, instanceId);
                        insert.setTimestamp(3, now);
                        if (!JdbcInserts.insertIfAbsent(insert)) {
                            bump(c, serverId, now); // another instance inserted it first
                        }
                    }
                }
                long epoch = read(c, serverId).orElseThrow().epoch();
                c.commit();
                held.put(serverId, epoch);
                return epoch;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackAfter(c, e);
                throw e;
            } finally {
                Transactions.restoreAutoCommit(c, true);
            }
        }
    }

    private int bump(Connection c, String serverId, Timestamp now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE hub_server_lease SET owner = ?, epoch = epoch + 1, since = ? WHERE server_id = ?")) {
            update.setString(1, instanceId);
            update.setTimestamp(2, now);
            update.setString(3, serverId);
            return update.executeUpdate();
        }
    }

    /** Gives the server up on this instance: its later writes here are refused. The stored lease stays. */
    public void release(String serverId) {
        held.remove(serverId);
    }

    /** The epoch this instance holds for the server, if it owns it. */
    public OptionalLong heldEpoch(String serverId) {
        Long epoch = held.get(serverId);
        return epoch == null ? OptionalLong.empty() : OptionalLong.of(epoch);
    }

    /**
     * In the caller's transaction (auto-commit off), before it writes state of {@code serverId}: refuses unless this
     * instance holds the server's stored epoch. The shared lock it takes on the lease row lasts until the caller
     * commits or rolls back, so a claim by another instance waits for that write.
     */
    public void check(Connection c, String serverId) throws FencedException, SQLException {
        if (!isFenced()) {
            return;
        }
        Long mine = held.get(serverId);
        Optional<Lease> stored;
        try (PreparedStatement ps = c.prepareStatement(SELECT + (dialect == SqlDialect.POSTGRESQL ? " FOR SHARE"
                : " FOR UPDATE"))) {
            ps.setString(1, serverId);
            stored = read(ps);
        }
        if (mine != null && stored.isPresent() && stored.get().epoch() == mine) {
            return;
        }
        refused.computeIfAbsent(serverId, id -> new AtomicLong()).incrementAndGet();
        FencedException fenced = new FencedException(serverId, "server " + serverId + " is no longer owned by hub"
                + " instance " + instanceId + ": it held epoch " + (mine == null ? "none" : mine) + ", the database has "
                + stored.map(l -> l.epoch() + " of " + l.owner()).orElse("none") + "; the write is refused");
        held.remove(serverId, mine);
        fenceListeners.forEach(listener -> listener.accept(fenced));
        throw fenced;
    }

    /** Runs {@code write} in one transaction on {@code c}, after {@link #check} when fenced; restores auto-commit. */
    public <T> T guarded(Connection c, String serverId, SqlWork<T> write) throws SQLException {
        return guarded(c, List.of(serverId), write);
    }

    /**
     * {@link #guarded(Connection, String, SqlWork)} for a write of several servers' state. The write runs in one
     * transaction either way; without fencing (or without a server) nothing is checked.
     */
    public <T> T guarded(Connection c, java.util.Collection<String> serverIds, SqlWork<T> write) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            if (isFenced()) {
                for (String serverId : serverIds) {
                    check(c, serverId);
                }
            }
            T result = write.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            Transactions.rollbackAfter(c, e);
            throw e;
        } finally {
            Transactions.restoreAutoCommit(c, autoCommit);
        }
    }

    /** Writes of this server this instance tried after it had lost it. */
    public long refusedWrites(String serverId) {
        AtomicLong n = refused.get(serverId);
        return n == null ? 0 : n.get();
    }

    /** The server's stored lease (whoever holds it), for health and operations. */
    public Optional<Lease> stored(String serverId) throws SQLException {
        if (!isFenced()) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection()) {
            return read(c, serverId);
        }
    }

    private static Optional<Lease> read(Connection c, String serverId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, serverId);
            return read(ps);
        }
    }

    private static Optional<Lease> read(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Lease(rs.getString(1), rs.getString(2), rs.getLong(3),
                    rs.getTimestamp(4).toInstant()));
        }
    }

    /** A unit of JDBC work on the caller's connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}

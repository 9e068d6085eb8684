package io.mt5crmhub.store;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Records the ids of events a sink handled in Camel's JDBC idempotent repository table ({@code
 * CAMEL_MESSAGEPROCESSED}, one processor name per sink), many in one batch, on the caller's connection and in its
 * transaction. No lookup first: the insert's own answer per key says whether it was new.
 */
public final class ProcessedKeys {

    private final String processorName;
    private final String insert;

    public ProcessedKeys(SqlDialect dialect, String processorName) {
        this.processorName = processorName;
        this.insert = dialect.insertIfAbsent(
                "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)");
    }

    public String processorName() {
        return processorName;
    }

    /** Deletes the keys (their events are to be handled again). */
    public void delete(Connection c, Collection<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId = ?")) {
            addEach(ps, keys, null);
            ps.executeBatch();
        }
    }

    /** Deletes those of the keys stored under {@code at} (by the exchange that holds that stamp). */
    public void delete(Connection c, Collection<String> keys, Timestamp at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM CAMEL_MESSAGEPROCESSED"
                + " WHERE processorName = ? AND messageId = ? AND createdAt = ?")) {
            addEach(ps, keys, at);
            ps.executeBatch();
        }
    }

    /** Those of the keys stored under {@code at}. */
    public Set<String> storedAt(Connection c, Collection<String> keys, Timestamp at) throws SQLException {
        Set<String> found = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM CAMEL_MESSAGEPROCESSED"
                + " WHERE processorName = ? AND messageId = ? AND createdAt = ?")) {
            for (String key : keys) {
                ps.setString(1, processorName);
                ps.setString(2, key);
                ps.setTimestamp(3, at);
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found.add(key);
                    }
                }
            }
        }
        return found;
    }

    /**
     * Gives a stored key the stamp {@code at}, if its row still carries one of {@code from} (the stamps it was stored
     * under by whoever now takes it again); false when it carries another (stored by someone else since) or is gone.
     */
    public boolean restamp(Connection c, String key, List<Long> from, Timestamp at) throws SQLException {
        if (from.isEmpty()) {
            return false;
        }
        String among = String.join(", ", java.util.Collections.nCopies(from.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("UPDATE CAMEL_MESSAGEPROCESSED SET createdAt = ?"
                + " WHERE processorName = ? AND messageId = ? AND createdAt IN (" + among + ")")) {
            ps.setTimestamp(1, at);
            ps.setString(2, processorName);
            ps.setString(3, key);
            for (int i = 0; i < from.size(); i++) {
                ps.setTimestamp(4 + i, new Timestamp(from.get(i)));
            }
            return ps.executeUpdate() == 1;
        }
    }

    /** Inserts the keys not stored yet and returns them; keys must be distinct. */
    public Set<String> insertNew(Connection c, Collection<String> keys, Timestamp at) throws SQLException {
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            addEach(ps, keys, at);
            counts = insertEach(ps);
        }
        Set<String> fresh = new HashSet<>();
        int i = 0;
        for (String key : keys) {
            if (counts[i++] > 0) {
                fresh.add(key);
            }
        }
        return fresh;
    }

    /** Adds a row per key to the statement's batch: the processor name, the key, then {@code at} when given. */
    private void addEach(PreparedStatement ps, Collection<String> keys, Timestamp at) throws SQLException {
        for (String key : keys) {
            ps.setString(1, processorName);
            ps.setString(2, key);
            if (at != null) {
                ps.setTimestamp(3, at);
            }
            ps.addBatch();
        }
    }

    /**
     * Runs the batch; a key already stored counts 0. PostgreSQL's ON CONFLICT DO NOTHING answers 0 itself; H2
     * runs every row of a batch and reports the rows that hit the primary key as failed, which is the same
     * answer, while any other failure is one.
     */
    private static int[] insertEach(PreparedStatement ps) throws SQLException {
        int[] counts;
        try {
            counts = ps.executeBatch();
        } catch (BatchUpdateException e) {
            for (SQLException cause = e.getNextException(); cause != null; cause = cause.getNextException()) {
                if (!SqlDialect.UNIQUE_VIOLATION.equals(cause.getSQLState())) {
                    throw e;
                }
            }
            counts = e.getUpdateCounts().clone();
            for (int i = 0; i < counts.length; i++) {
                counts[i] = counts[i] == Statement.EXECUTE_FAILED ? 0 : counts[i];
            }
        }
        for (int count : counts) {
            if (count == Statement.SUCCESS_NO_INFO) {
                throw new SQLException("the JDBC driver does not tell which idempotency keys were new"
                        + " (PostgreSQL's reWriteBatchedInserts=true hides it): remove that option from hub.db.url");
            }
        }
        return counts;
    }
}

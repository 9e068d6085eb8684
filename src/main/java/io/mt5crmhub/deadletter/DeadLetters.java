package io.mt5crmhub.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * What an operator does with {@code hub_dead_letter}: list and inspect the dead letters, ask for replays. The
 * running hub performs requested replays ({@code DeadLetterReplayer}), so the command line and the API only mark
 * rows; a replay asked for while the hub is stopped happens at its next start.
 */
public class DeadLetters {

    private static final String COLUMNS = "id, event_id, route_id, reason, body, failed_at, replay_requested_at,"
            + " replayed_at, replay_error";
    private static final int MAX_ERROR = 4000;

    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Newest first; {@code includeReplayed} false leaves out the rows already replayed. */
    public List<DeadLetter> list(Optional<String> routeId, boolean includeReplayed, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM hub_dead_letter WHERE 1 = 1"
                + (routeId.isPresent() ? " AND route_id = ?" : "")
                + (includeReplayed ? "" : " AND replayed_at IS NULL")
                + " ORDER BY id DESC LIMIT " + Math.max(1, limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (routeId.isPresent()) {
                ps.setString(1, routeId.get());
            }
            return read(ps);
        }
    }

    /** The dead letters by state, as {@link DeadLetter#state()} names them, and the oldest one's failure time. */
    public DeadLetterCounts counts() throws SQLException {
        String sql = "SELECT state, COUNT(*), MIN(failed_at) FROM (SELECT failed_at, CASE"
                + " WHEN replayed_at IS NOT NULL THEN 'REPLAYED'"
                + " WHEN replay_requested_at IS NOT NULL THEN 'REPLAY_REQUESTED'"
                + " WHEN replay_error IS NOT NULL THEN 'REPLAY_FAILED' ELSE 'DEAD' END AS state"
                + " FROM hub_dead_letter) d GROUP BY state";
        Map<String, Long> byState = new HashMap<>();
        Instant oldest = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byState.put(rs.getString(1), rs.getLong(2));
                Instant failedAt = instant(rs.getTimestamp(3));
                if (!"REPLAYED".equals(rs.getString(1)) && (oldest == null || failedAt.isBefore(oldest))) {
                    oldest = failedAt;
                }
            }
        }
        return new DeadLetterCounts(Map.copyOf(byState), oldest);
    }

    public Optional<DeadLetter> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM hub_dead_letter WHERE id = ?")) {
            ps.setLong(1, id);
            return read(ps).stream().findFirst();
        }
    }

    /** Marks one dead letter for replay; false when there is no such row or it was replayed already. */
    public boolean requestReplay(long id) throws SQLException {
        return update("UPDATE hub_dead_letter SET replay_requested_at = ?, replay_error = NULL"
                + " WHERE id = ? AND replayed_at IS NULL", now(), id) > 0;
    }

    /** Marks every dead letter not yet replayed (of one route, if given) for replay; returns how many. */
    public int requestReplayAll(Optional<String> routeId) throws SQLException {
        return requestReplayAll(routeId, Long.MAX_VALUE);
    }

    /**
     * Marks every dead letter up to id {@code upToId} not yet replayed (of one route, if given) for replay; returns
     * how many. With {@link #lastId()} read before, {@link #replayBacklog} can then follow exactly those.
     */
    public int requestReplayAll(Optional<String> routeId, long upToId) throws SQLException {
        String sql = "UPDATE hub_dead_letter SET replay_requested_at = ?, replay_error = NULL"
                + " WHERE replayed_at IS NULL AND replay_requested_at IS NULL AND id <= ?"
                + (routeId.isPresent() ? " AND route_id = ?" : "");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, now());
            ps.setLong(2, upToId);
            if (routeId.isPresent()) {
                ps.setString(3, routeId.get());
            }
            return ps.executeUpdate();
        }
    }

    /** The highest dead letter id so far; 0 when there is none. */
    public long lastId() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM hub_dead_letter");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The replays asked for among the dead letters up to id {@code upToId} (of one route): waiting, failed again. */
    public ReplayBacklog replayBacklog(Optional<String> routeId, long upToId) throws SQLException {
        String sql = "SELECT"
                + " SUM(CASE WHEN replay_requested_at IS NOT NULL AND replayed_at IS NULL THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN replay_requested_at IS NULL AND replayed_at IS NULL AND replay_error IS NOT NULL"
                + " THEN 1 ELSE 0 END) FROM hub_dead_letter WHERE id <= ?"
                + (routeId.isPresent() ? " AND route_id = ?" : "");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, upToId);
            if (routeId.isPresent()) {
                ps.setString(2, routeId.get());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ReplayBacklog(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** The oldest replays asked for and not done yet. */
    public List<DeadLetter> requested(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM hub_dead_letter WHERE replay_requested_at IS NOT NULL AND replayed_at IS NULL ORDER BY id"
                + " LIMIT " + Math.max(1, limit))) {
            return read(ps);
        }
    }

    public void replayed(long id) throws SQLException {
        update("UPDATE hub_dead_letter SET replayed_at = ?, replay_error = NULL WHERE id = ?", now(), id);
    }

    /** The replay failed: the row is dead again, with why, until someone asks once more. */
    public void replayFailed(long id, String error) throws SQLException {
        String text = error == null ? "unknown failure" : error;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE hub_dead_letter SET replay_requested_at = NULL, replay_error = ? WHERE id = ?")) {
            ps.setString(1, text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private int update(String sql, Timestamp time, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, time);
            ps.setLong(2, id);
            return ps.executeUpdate();
        }
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    private static List<DeadLetter> read(PreparedStatement ps) throws SQLException {
        List<DeadLetter> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                        instant(rs.getTimestamp(8)), rs.getString(9)));
            }
        }
        return rows;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}

package io.mt5crmhub.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.mt5crmhub.store.FencedException;
import io.mt5crmhub.store.ServerLeases;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the idempotency keys of one sink and one MT5 server that a crash left without their effect expire. A gate
 * stores an event's key before the event is published (so that duplicates arriving together are dropped before they
 * reach the broker); if the process dies before the broker's confirm, that key would make the back-fill skip the
 * event for good.
 * <p>
 * Every batch of keys gets a creation stamp (never going backwards). The safe point is the oldest stamp whose
 * exchanges have not all completed, or just past the newest stamp when none is open: every key stamped before
 * it has its effect, or was given back on failure. It is stored in {@code hub_checkpoint} under the server's key
 * ({@code mt5:<server>:safe-point:<sink>}, fenced like the server's checkpoints) four times a second (the gate
 * schedules it) and at a graceful stop. Whoever reads the server next (this process after a restart, or the instance
 * that takes the server over) first deletes the server's keys stamped at or after the stored safe point: their
 * events, re-read by the back-fill, are published again (a repeat the consumers drop by {@code message_id}) instead of
 * being lost. Per server, because with several hub instances each server has its own owner and its own crash.
 */
final class IdempotencySafePoint {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencySafePoint.class);

    private final DataSource dataSource;
    private final StateRepository<String, String> states;
    private final ServerLeases leases;
    private final String processorName;
    private final String serverId;
    private final String stateKey;
    /** Stamp → exchanges admitted with keys of that stamp and not yet completed. */
    private final ConcurrentSkipListMap<Long, AtomicInteger> open = new ConcurrentSkipListMap<>();
    private long lastStamp;
    private long lastWritten = -1;

    IdempotencySafePoint(DataSource dataSource, StateRepository<String, String> states, ServerLeases leases,
            String processorName, String serverId) {
        this.dataSource = dataSource;
        this.states = states;
        this.leases = leases;
        this.processorName = processorName;
        this.serverId = serverId;
        this.stateKey = keyOf(serverId, processorName);
    }

    String serverId() {
        return serverId;
    }

    /** Where the safe point of {@code processorName}'s keys of {@code serverId} is stored. */
    static String keyOf(String serverId, String processorName) {
        return "mt5:" + serverId + ":safe-point:" + processorName;
    }

    /**
     * Deletes the server's keys a crash may have left without their effect and stores a safe point before any key
     * stored from now on; call before this process stores any key of the server. {@code fallback} is the safe point
     * to use when the server has none of its own (the sink-wide one of an earlier version), or null.
     */
    synchronized void forgetUnsafeKeys(String fallback) throws SQLException {
        String stored = states.getState(stateKey);
        if (stored == null) {
            stored = fallback;
        }
        long now = System.currentTimeMillis();
        if (stored == null) {
            // the first keys of this server: a safe point before any of them, so that a crash within the first
            // write interval still makes what this run stored expire
            lastStamp = now;
            states.setState(stateKey, Long.toString(now));
            lastWritten = now;
            return;
        }
        long safePoint = Long.parseLong(stored);
        lastStamp = Math.max(now, safePoint);
        int forgotten;
        try (Connection c = dataSource.getConnection()) {
            forgotten = leases.guarded(c, serverId, conn -> {
                try (PreparedStatement ps = conn.prepareStatement("DELETE FROM CAMEL_MESSAGEPROCESSED"
                        + " WHERE processorName = ? AND messageId LIKE ? ESCAPE '!' AND createdAt >= ?")) {
                    ps.setString(1, processorName);
                    ps.setString(2, likePrefix(serverId + ":"));
                    ps.setTimestamp(3, new Timestamp(safePoint));
                    return ps.executeUpdate();
                }
            });
        }
        if (forgotten > 0) {
            LOG.warn("Forgot {} idempotency keys of {} for MT5 server {} stored after their last safe point (the hub"
                    + " reading it did not stop cleanly): their events are published again when the back-fill reads"
                    + " them", forgotten, processorName, serverId);
        }
    }

    /** {@code prefix} escaped for a LIKE pattern with escape character '!', then {@code %}. */
    static String likePrefix(String prefix) {
        return likeEscaped(prefix) + "%";
    }

    /** {@code text} matched literally by a LIKE pattern with escape character '!'. */
    static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /**
     * The stamp for a new batch of keys, counted open until {@link #closed(long)}: the wall clock, and always above the
     * previous stamp, since a stored safe point of "just past the newest stamp" must stay below every later one (two
     * batches in one millisecond would otherwise put the second below it). Counted open before its keys are written,
     * and under the same lock as {@link #store()}, so a safe point never passes keys being written.
     */
    synchronized long open() {
        lastStamp = Math.max(lastStamp + 1, System.currentTimeMillis());
        open.computeIfAbsent(lastStamp, s -> new AtomicInteger()).incrementAndGet();
        return lastStamp;
    }

    void closed(long stamp) {
        open.computeIfPresent(stamp, (s, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    /** Stores the safe point if it moved since it was last stored, unless the server is no longer read here. */
    synchronized void store() {
        Map.Entry<Long, AtomicInteger> oldestOpen = open.firstEntry();
        long safePoint = oldestOpen != null ? oldestOpen.getKey() : lastStamp + 1;
        if (safePoint == lastWritten) {
            return;
        }
        try {
            states.setState(stateKey, Long.toString(safePoint));
            lastWritten = safePoint;
        } catch (RuntimeException e) {
            if (FencedException.in(e) != null) {
                lastWritten = safePoint; // another instance reads the server now: its safe point is its own
                LOG.debug("Safe point of {} for MT5 server {} not stored: {}", processorName, serverId, e.getMessage());
            } else {
                LOG.warn("Could not store the idempotency safe point of {} for MT5 server {}: {}", processorName,
                        serverId, e.getMessage());
            }
        }
    }
}

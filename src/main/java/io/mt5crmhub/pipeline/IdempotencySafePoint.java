package io.mt5crmhub.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the idempotency keys a crash left without their effect expire. A gate stores an event's key before the
 * event is published (so that duplicates arriving together are dropped before they reach the broker); if the
 * process dies before the broker's confirm, that key would make the back-fill skip the event for good.
 * <p>
 * Every batch of keys gets a creation stamp (never going backwards). The safe point is the oldest stamp whose
 * exchanges have not all completed, or just past the newest stamp when none is open: every key stamped before
 * it has its effect, or was given back on failure. It is stored in {@code hub_checkpoint} four times a second (the
 * gate schedules it) and at a graceful stop. On start, the keys stamped at or after the stored safe point are deleted: their events,
 * re-read by the back-fill, are published again (a repeat the consumers drop by {@code message_id}) instead of
 * being lost.
 */
final class IdempotencySafePoint {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencySafePoint.class);

    private final DataSource dataSource;
    private final StateRepository<String, String> states;
    private final String processorName;
    private final String stateKey;
    /** Stamp → exchanges admitted with keys of that stamp and not yet completed. */
    private final ConcurrentSkipListMap<Long, AtomicInteger> open = new ConcurrentSkipListMap<>();
    private long lastStamp;
    private long lastWritten = -1;

    IdempotencySafePoint(DataSource dataSource, StateRepository<String, String> states, String processorName) {
        this.dataSource = dataSource;
        this.states = states;
        this.processorName = processorName;
        this.stateKey = "idempotency-safe-point:" + processorName;
    }

    /** Deletes the keys a crash may have left without their effect; call before the first event arrives. */
    synchronized void forgetUnsafeKeys() throws SQLException {
        String stored = states.getState(stateKey);
        long now = System.currentTimeMillis();
        if (stored == null) {
            // the first start: a safe point before any key, so that a crash within the first write interval
            // still makes what this run stored expire
            lastStamp = now;
            states.setState(stateKey, Long.toString(now));
            lastWritten = now;
            return;
        }
        long safePoint = Long.parseLong(stored);
        lastStamp = Math.max(now, safePoint);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND createdAt >= ?")) {
            ps.setString(1, processorName);
            ps.setTimestamp(2, new Timestamp(safePoint));
            int forgotten = ps.executeUpdate();
            if (forgotten > 0) {
                LOG.warn("Forgot {} idempotency keys of {} stored after its last safe point (the hub did not stop"
                        + " cleanly): their events are published again when the back-fill reads them", forgotten,
                        processorName);
            }
        }
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

    /** Stores the safe point if it moved since it was last stored. */
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
            LOG.warn("Could not store the idempotency safe point of {}: {}", processorName, e.getMessage());
        }
    }
}

package io.mt5crmhub.component;

import java.time.Duration;
import java.time.Instant;

import io.mt5crmhub.event.EntityType;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One feed's stored checkpoint, under its key (per server, stream and checkpoint id): loaded at start, stored
 * every {@code checkpointInterval} while running and once more at stop. Only deal streams store one; accounts and
 * positions are read from a fresh snapshot instead.
 */
final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    private final StateRepository<String, String> repository;
    private final String key;
    private final Duration interval;
    private final Subscription subscription;
    private final CheckpointTracker tracker;
    private volatile Instant stored;
    private long lastWrite;

    CheckpointStore(StateRepository<String, String> repository, String key, Duration interval,
                    Subscription subscription, CheckpointTracker tracker) {
        this.repository = repository;
        this.key = key;
        this.interval = interval;
        this.subscription = subscription;
        this.tracker = tracker;
    }

    void load() {
        String state = repository.getState(key);
        stored = state == null ? null : Instant.ofEpochMilli(Long.parseLong(state));
    }

    /** The checkpoint last loaded or stored; null before the first one. */
    Instant stored() {
        return stored;
    }

    void storeIfDue() {
        store(false);
    }

    void storeNow() {
        store(true);
    }

    private void store(boolean force) {
        if (subscription.entity() != EntityType.DEAL) {
            return;
        }
        if (subscription.awaitsBackfill()) {
            // the live deals routed meanwhile are newer than the history the back-fill has yet to read: storing
            // them would start the next back-fill after that history (at a stop or a crash, or this very one)
            return;
        }
        long now = System.currentTimeMillis();
        if (!force && now - lastWrite < interval.toMillis()) {
            return;
        }
        lastWrite = now;
        Instant checkpoint = tracker.checkpoint(subscription.queued());
        Instant overflowed = subscription.oldestOverflowedDeal(); // pending too, even if on disk: never passed
        if (overflowed != null && (checkpoint == null || overflowed.isBefore(checkpoint))) {
            checkpoint = overflowed;
        }
        if (checkpoint == null || checkpoint.equals(stored)) {
            return;
        }
        try {
            repository.setState(key, Long.toString(checkpoint.toEpochMilli()));
            stored = checkpoint;
        } catch (RuntimeException e) {
            LOG.warn("Could not store the checkpoint of {}: {}", key, e.getMessage());
        }
    }
}

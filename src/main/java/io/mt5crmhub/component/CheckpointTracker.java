package io.mt5crmhub.component;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import io.mt5crmhub.event.Mt5Event;

/**
 * Works out how far a deal stream is safely processed. The checkpoint is the time of the oldest deal not yet
 * done (queued, in flight, or failed); when nothing is pending it is the newest deal completed. A failed deal
 * holds the checkpoint where it is until a back-fill (which the feed starts after a failure) has read it again.
 * Checkpoints only ever err towards re-reading: duplicates are absorbed downstream, gaps would be loss.
 */
final class CheckpointTracker {

    private final AtomicLong sequence = new AtomicLong();
    private final Map<Long, Instant> inFlight = new ConcurrentSkipListMap<>();
    private final Map<Long, Instant> failed = new ConcurrentSkipListMap<>();
    private volatile Instant newestCompleted;

    /** Records a dispatched deal; returns the ticket to pass to {@link #completed} or {@link #failed}. */
    long dispatched(Instant dealTime) {
        long seq = sequence.incrementAndGet();
        inFlight.put(seq, dealTime);
        return seq;
    }

    void completed(long seq) {
        Instant time = inFlight.remove(seq);
        if (time != null) {
            synchronized (this) {
                if (newestCompleted == null || time.isAfter(newestCompleted)) {
                    newestCompleted = time;
                }
            }
        }
    }

    void failed(long seq) {
        Instant time = inFlight.remove(seq);
        if (time != null) {
            failed.put(seq, time);
        }
    }

    /** The deals failed so far, for {@link #clearFailures(Set)} once a back-fill has read them again. */
    Set<Long> failures() {
        return Set.copyOf(failed.keySet());
    }

    /**
     * A back-fill from the checkpoint has read these failed deals (taken by {@link #failures()} before it began)
     * again: they no longer hold it. A deal that failed while the back-fill ran (its own copy of a deal, or a live deal
     * whose stretch it had already read) still does, until the next back-fill.
     */
    void clearFailures(Set<Long> readAgain) {
        failed.keySet().removeAll(readAgain);
    }

    int inFlight() {
        return inFlight.size();
    }

    boolean hasFailures() {
        return !failed.isEmpty();
    }

    /**
     * @param queued deals received but not yet dispatched
     * @return the checkpoint time, or null when nothing has been processed yet
     */
    Instant checkpoint(Collection<Mt5Event> queued) {
        Instant oldestPending = null;
        for (Instant t : inFlight.values()) {
            oldestPending = min(oldestPending, t);
        }
        for (Instant t : failed.values()) {
            oldestPending = min(oldestPending, t);
        }
        for (Mt5Event e : queued) {
            oldestPending = min(oldestPending, e.occurredAt());
        }
        return oldestPending != null ? oldestPending : newestCompleted;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}

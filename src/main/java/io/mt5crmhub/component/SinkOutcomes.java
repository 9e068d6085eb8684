package io.mt5crmhub.component;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one consumer's sink did with the events routed to it, counted per event as their exchanges complete:
 * delivered, dead-lettered by the route's error policy (the exchange completed, but the sink did not take them), or
 * failed (the exchange failed; the events are read again). Read without locks, from any thread.
 */
final class SinkOutcomes {

    private final LongAdder delivered = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** An exchange of {@code events} completed; {@code deadLettered} of them went to the dead letters. */
    void completed(int events, int deadLettered) {
        int dead = Math.min(events, Math.max(0, deadLettered));
        this.delivered.add(events - dead);
        this.deadLettered.add(dead);
    }

    /** An exchange of {@code events} failed. */
    void failed(int events) {
        failed.add(events);
    }

    long delivered() {
        return delivered.sum();
    }

    long deadLettered() {
        return deadLettered.sum();
    }

    long failed() {
        return failed.sum();
    }
}

package io.mt5crmhub.component;

import java.time.Duration;

/** A back-off: starts at a minimum, doubles on each {@link #doubled()} up to a maximum, starts over on {@link #reset()}. */
final class DoublingDelay {

    private final Duration min;
    private final Duration max;
    private volatile Duration current;

    DoublingDelay(Duration min, Duration max) {
        this.min = min;
        this.max = max;
        this.current = min;
    }

    Duration current() {
        return current;
    }

    void doubled() {
        Duration next = current.multipliedBy(2);
        current = next.compareTo(max) > 0 ? max : next;
    }

    void reset() {
        if (current != min) {
            current = min; // a volatile write only after failures, not per exchange
        }
    }
}

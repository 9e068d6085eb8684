package io.mt5crmhub.gateway;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: each failure doubles the base delay up to a cap, and the actual wait is drawn
 * between half the base and the base, so many hubs that lost the same server do not all come back at once.
 * Used by one thread.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration cap;
    private Duration base;
    private int failures;

    public Backoff(Duration initial, Duration cap) {
        this.initial = initial;
        this.cap = cap;
        this.base = initial;
    }

    /** The wait before the next attempt after one more failure. */
    public Duration next() {
        Duration current = base;
        failures++;
        Duration doubled = base.multipliedBy(2);
        base = doubled.compareTo(cap) > 0 ? cap : doubled;
        long millis = current.toMillis();
        long half = millis / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(millis - half + 1));
    }

    public void reset() {
        base = initial;
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}

package io.mt5crmhub.gateway.simulator;

import java.util.function.LongSupplier;

/**
 * A token bucket on emitted events: tokens refill at {@code rate} per second up to a quarter second's worth,
 * each delivered event spends one, and the next action may start once the balance is no longer negative. An
 * action that emits many events thus pushes the next one back, and the long-run rate is {@code rate}. A rate of
 * 0 means no pacing. Used by one thread.
 */
final class RatePacer {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double rate;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastRefill;

    RatePacer(double rate, LongSupplier nanoClock) {
        if (rate < 0) {
            throw new IllegalArgumentException("rate cannot be negative, was " + rate);
        }
        this.rate = rate;
        this.capacity = Math.max(1, rate / 4);
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.lastRefill = nanoClock.getAsLong();
    }

    /** How long to wait before the next action may start; 0 when it may start now. */
    long nanosUntilReady() {
        if (rate == 0) {
            return 0;
        }
        refill();
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / rate * NANOS_PER_SECOND);
    }

    /** Records delivered events. */
    void spend(int events) {
        if (rate == 0) {
            return;
        }
        refill();
        tokens -= events;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - lastRefill) * rate / NANOS_PER_SECOND);
        lastRefill = now;
    }
}

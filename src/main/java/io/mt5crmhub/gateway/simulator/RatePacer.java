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

    /**
     * How many actions of about {@code eventsPerAction} events the bucket holds now, from 1 to {@code max}
     * ({@code max} at rate 0): 1 while the generator keeps up; more once it has fallen behind the rate (its actions
     * took longer than the rate allows, so the bucket refilled), letting those actions share one commit to catch up.
     */
    int actionsAllowed(double eventsPerAction, int max) {
        if (rate == 0) {
            return max;
        }
        refill();
        double allowed = Math.floor(tokens / Math.max(1, eventsPerAction));
        return (int) Math.max(1, Math.min(max, allowed));
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

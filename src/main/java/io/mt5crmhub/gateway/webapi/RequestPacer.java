package io.mt5crmhub.gateway.webapi;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spaces the requests of one connection at least {@code 1/rate} seconds apart, whichever thread sends them (the
 * poll loop, a back-fill, a balance operation), so the hub stays under MT5's flood control. Thread-safe: each
 * caller reserves the next free slot and sleeps until it.
 */
final class RequestPacer {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long nextSlot;

    RequestPacer(int requestsPerSecond, LongSupplier nanoClock) {
        if (requestsPerSecond <= 0) {
            throw new IllegalArgumentException("requests per second must be positive, was " + requestsPerSecond);
        }
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / requestsPerSecond;
        this.nanoClock = nanoClock;
        this.nextSlot = nanoClock.getAsLong();
    }

    /** How long the caller must wait before sending; the slot is taken. */
    synchronized long reserve() {
        long now = nanoClock.getAsLong();
        long slot = Math.max(now, nextSlot);
        nextSlot = slot + intervalNanos;
        return slot - now;
    }

    void acquire() throws InterruptedException {
        long wait = reserve();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}

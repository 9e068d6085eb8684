package io.mt5crmhub.component;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How far a deal back-fill has read MT5's history, for an operator watching a long one: the share of its time range
 * read, the deals routed so far, their rate and the time left. MT5 does not say how many deals a range holds before
 * it is read, so the time range is the measure of the whole, and the time left assumes the rest of the range is as
 * dense as what was read (the line says so: a back-fill whose deals all lie early in its range ends far sooner than
 * that). One line at most every {@code interval}, none for a back-fill shorter than that.
 */
final class BackfillProgress {

    private final Instant from;
    private final Instant to;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final long startedNanos;
    private long lastLineNanos;
    private long deals;

    /**
     * @param from     where the back-fill starts reading
     * @param to       where it ends (now, when it starts)
     * @param nanoTime the clock ({@code System::nanoTime})
     */
    BackfillProgress(Instant from, Instant to, Duration interval, LongSupplier nanoTime) {
        this.from = from.truncatedTo(ChronoUnit.SECONDS);
        this.to = to.truncatedTo(ChronoUnit.SECONDS);
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.startedNanos = nanoTime.getAsLong();
        this.lastLineNanos = startedNanos;
    }

    /**
     * The history up to {@code readTo} was read and {@code count} more deals routed.
     *
     * @return the progress line when one is due
     */
    Optional<String> advanced(Instant readTo, int count) {
        deals += count;
        long now = nanoTime.getAsLong();
        if (now - lastLineNanos < intervalNanos) {
            return Optional.empty();
        }
        lastLineNanos = now;
        double elapsed = (now - startedNanos) / 1e9;
        double read = readShare(readTo);
        String left = read > 0
                ? String.format(Locale.ROOT, "about %.0f s left if the rest is as busy", elapsed * (1 - read) / read)
                : "time left unknown";
        return Optional.of(String.format(Locale.ROOT, "%.0f%% of %s to %s read, %,d deals, %,.0f deals/s, %s",
                read * 100, from, to, deals, elapsed > 0 ? deals / elapsed : 0, left));
    }

    long deals() {
        return deals;
    }

    private double readShare(Instant readTo) {
        long whole = Duration.between(from, to).toMillis();
        if (whole <= 0) {
            return 1;
        }
        long read = Duration.between(from, readTo).toMillis();
        return Math.max(0, Math.min(1, (double) read / whole));
    }
}

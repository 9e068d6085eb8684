package io.mt5crmhub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import io.mt5crmhub.balance.BalanceCounts;
import io.mt5crmhub.deadletter.DeadLetterCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figures that live in the hub database (dead letters by state, balance operations by state), read by a
 * background thread of its own every few seconds. Metric scrapes and the status page read the last figures from
 * memory: a database that hangs holds up only this thread, and the figures then say how old they are and why (a
 * read that fails, or one that has had no answer for {@link #SLOW_READ}: since when it waits).
 */
public final class StoreFigures implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreFigures.class);
    /** A read unanswered this long counts as the database not answering (a read takes milliseconds). */
    static final Duration SLOW_READ = Duration.ofSeconds(2);

    /** The last figures read, when, and the last read's problem (null when it succeeded). */
    public record Snapshot(DeadLetterCounts deadLetters, BalanceCounts balance, Instant readAt, String problem) {

        static final Snapshot NONE = new Snapshot(new DeadLetterCounts(Map.of(), null),
                new BalanceCounts(Map.of(), 0), null, "not read yet");

        Snapshot failed(String why) {
            return new Snapshot(deadLetters, balance, readAt, why);
        }
    }

    private final Callable<DeadLetterCounts> deadLetters;
    private final Callable<BalanceCounts> balance;
    private final Clock clock;
    private volatile Snapshot last = Snapshot.NONE;
    /** When the read in progress was started; null between reads. */
    private volatile Instant readingSince;
    private BackgroundLoop loop;

    /**
     * @param balance reads the balance operations' counts; it is given the time before which a SENT one is overdue
     */
    public StoreFigures(Callable<DeadLetterCounts> deadLetters, Callable<BalanceCounts> balance, Clock clock) {
        this.deadLetters = deadLetters;
        this.balance = balance;
        this.clock = clock;
    }

    /** Reads now, then every {@code every}, on a daemon thread. */
    public synchronized void start(Duration every) {
        loop = new BackgroundLoop("hub-store-figures", every, this::refresh);
    }

    /** One read of both; a failure keeps the figures read before and records why. */
    public void refresh() {
        readingSince = clock.instant();
        try {
            last = new Snapshot(deadLetters.call(), balance.call(), clock.instant(), null);
        } catch (Exception e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (last.problem() == null) {
                LOG.warn("Cannot read the dead letters and balance operations for metrics: {}", why);
            }
            last = last.failed(why);
        } finally {
            readingSince = null;
        }
    }

    /**
     * The last figures read; while a read has waited {@link #SLOW_READ} or longer for the database, they carry that
     * as their problem: how long, since when, and how old the figures are.
     */
    public Snapshot last() {
        Snapshot snapshot = last;
        Instant asked = readingSince;
        if (asked == null) {
            return snapshot;
        }
        Duration waiting = Duration.between(asked, clock.instant());
        if (waiting.compareTo(SLOW_READ) < 0) {
            return snapshot;
        }
        return snapshot.failed("no answer for " + waiting.toSeconds() + " s (asked at " + asked + "); "
                + (snapshot.readAt() == null ? "never read yet" : "the figures are of " + snapshot.readAt()));
    }

    /** Seconds since the figures were last read successfully; NaN before the first read. */
    public double ageSeconds() {
        Instant readAt = last.readAt();
        return readAt == null ? Double.NaN : Duration.between(readAt, clock.instant()).toMillis() / 1e3;
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }
}

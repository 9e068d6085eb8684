package io.mt5crmhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mt5crmhub.balance.BalanceCounts;
import io.mt5crmhub.balance.BalanceState;
import io.mt5crmhub.deadletter.DeadLetterCounts;
import io.mt5crmhub.testsupport.ManualClock;
import org.junit.jupiter.api.Test;

/** The database's figures are read in the background: a reader never waits for the database, even one that hangs. */
class StoreFiguresTest {

    private static final DeadLetterCounts TWO_DEAD = new DeadLetterCounts(Map.of("DEAD", 2L), Instant.EPOCH);
    private static final BalanceCounts ONE_UNKNOWN = new BalanceCounts(Map.of(BalanceState.UNKNOWN, 1L), 0);

    @Test
    void aFailedReadKeepsTheLastFiguresAndSaysWhy() {
        AtomicBoolean down = new AtomicBoolean();
        StoreFigures figures = new StoreFigures(() -> {
            if (down.get()) {
                throw new SQLTransientConnectionException("the database is away");
            }
            return TWO_DEAD;
        }, () -> ONE_UNKNOWN, Clock.systemUTC());

        figures.refresh();
        down.set(true);
        figures.refresh();

        assertThat(figures.last().deadLetters().count("DEAD")).isEqualTo(2);
        assertThat(figures.last().balance().count(BalanceState.UNKNOWN)).isEqualTo(1);
        assertThat(figures.last().problem()).contains("the database is away");
        assertThat(figures.ageSeconds()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aHangingDatabaseHoldsOnlyTheBackgroundThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (StoreFigures figures = new StoreFigures(() -> {
            release.await();
            return TWO_DEAD;
        }, () -> ONE_UNKNOWN, Clock.systemUTC())) {
            figures.start(Duration.ofMillis(50));

            long before = System.nanoTime();
            StoreFigures.Snapshot last = figures.last();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(100));
            assertThat(last.problem()).isEqualTo("not read yet");
            assertThat(figures.ageSeconds()).isNaN();

            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> figures.last().problem() == null);
            assertThat(figures.last().deadLetters().count("DEAD")).isEqualTo(2);
        }
    }

    @Test
    void aReadWithNoAnswerSaysForHowLongSinceWhenAndHowOldTheFiguresAre() throws Exception {
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        ManualClock clock = new ManualClock(start);
        AtomicBoolean hang = new AtomicBoolean();
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StoreFigures figures = new StoreFigures(() -> {
            if (hang.get()) {
                asked.countDown();
                release.await();
            }
            return TWO_DEAD;
        }, () -> ONE_UNKNOWN, clock);
        figures.refresh();
        hang.set(true);
        clock.advance(Duration.ofSeconds(5));
        Thread reader = new Thread(figures::refresh, "store-figures-reader");
        reader.start();
        asked.await();

        clock.advance(Duration.ofSeconds(1));
        assertThat(figures.last().problem()).as("a read takes a moment").isNull();

        clock.advance(Duration.ofSeconds(2));
        assertThat(figures.last().problem()).isEqualTo("no answer for 3 s (asked at 2026-12-03T10:00:05Z); the"
                + " figures are of 2026-12-03T10:00:00Z");
        assertThat(figures.last().deadLetters().count("DEAD")).isEqualTo(2);
        assertThat(figures.ageSeconds()).isEqualTo(8.0);

        release.countDown();
        reader.join(10_000);
        assertThat(figures.last().problem()).isNull();
        assertThat(figures.last().readAt()).isEqualTo(start.plusSeconds(8));
    }
}

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
}

package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class BackfillProgressTest {

    private static final Instant FROM = Instant.parse("2026-12-02T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-03T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private final BackfillProgress progress = new BackfillProgress(FROM, TO, INTERVAL, clock::get);

    private void after(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void aBackFillShorterThanTheIntervalLogsNoProgress() {
        after(4);
        assertThat(progress.advanced(FROM.plus(Duration.ofHours(12)), 40_000)).isEmpty();
        after(5);
        assertThat(progress.advanced(TO, 40_000)).isEmpty();

        assertThat(progress.deals()).isEqualTo(80_000);
    }

    @Test
    void aLineSaysTheShareOfTheRangeReadTheDealsTheirRateAndTheTimeLeftAtThatPace() {
        after(6);
        progress.advanced(FROM.plus(Duration.ofHours(3)), 60_000);
        after(6);

        // 6 of 24 hours read in 12 s: 18 hours left take 36 s at the same density
        assertThat(progress.advanced(FROM.plus(Duration.ofHours(6)), 60_000)).contains(
                "25% of 2026-12-02T00:00:00Z to 2026-12-03T00:00:00Z read, 120,000 deals, 10,000 deals/s,"
                        + " about 36 s left if the rest is as busy");
    }

    @Test
    void linesComeAtMostOncePerInterval() {
        after(10);
        assertThat(progress.advanced(FROM.plus(Duration.ofHours(1)), 1_000)).isPresent();
        after(9);
        assertThat(progress.advanced(FROM.plus(Duration.ofHours(2)), 1_000)).isEmpty();
        after(1);
        assertThat(progress.advanced(FROM.plus(Duration.ofHours(3)), 1_000)).isPresent();
    }

    @Test
    void timesAreShownToTheSecond() {
        BackfillProgress precise = new BackfillProgress(FROM.plusNanos(331_658_718), TO.plusNanos(12), INTERVAL,
                clock::get);
        after(10);

        assertThat(precise.advanced(TO, 1)).hasValueSatisfying(line -> assertThat(line)
                .contains("of 2026-12-02T00:00:00Z to 2026-12-03T00:00:00Z read"));
    }

    @Test
    void nothingReadYetGivesNoTimeLeft() {
        after(10);

        assertThat(progress.advanced(FROM, 0)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("0% of").contains("0 deals, 0 deals/s").endsWith("time left unknown"));
    }

    @Test
    void aWindowReachingPastTheEndCountsAsTheWholeRange() {
        BackfillProgress empty = new BackfillProgress(FROM, FROM, INTERVAL, clock::get);
        after(10);
        assertThat(empty.advanced(FROM, 5)).hasValueSatisfying(line -> assertThat(line).startsWith("100% of"));

        after(10);
        assertThat(progress.advanced(TO.plus(Duration.ofDays(1)), 5))
                .hasValueSatisfying(line -> assertThat(line).startsWith("100% of").contains("about 0 s left"));
    }
}

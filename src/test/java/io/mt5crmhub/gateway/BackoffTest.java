package io.mt5crmhub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The waits while an MT5 server is away: doubling up to the cap, jittered, back to the start once it answers. */
class BackoffTest {

    @Test
    void eachFailureDoublesTheWaitUpToTheCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        long[] bases = {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000};
        for (long base : bases) {
            Duration wait = backoff.next();
            assertThat(wait.toMillis()).isBetween(base / 2, base);
        }
        assertThat(backoff.failures()).isEqualTo(bases.length);
    }

    @Test
    void manyHubsDoNotAllComeBackAtTheSameMoment() {
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToLong(i -> new Backoff(Duration.ofSeconds(8), Duration.ofSeconds(30)).next().toMillis())
                .distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void anAnswerStartsOverFromTheFirstWait() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        for (int i = 0; i < 6; i++) {
            backoff.next();
        }
        backoff.reset();

        assertThat(backoff.failures()).isZero();
        assertThat(backoff.next().toMillis()).isBetween(250L, 500L);
    }
}

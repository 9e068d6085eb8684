package io.mt5crmhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;

import io.mt5crmhub.balance.BalanceCounts;
import io.mt5crmhub.deadletter.DeadLetterCounts;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The status answers from memory: a database that hangs, or a sampler that is stuck, is reported, not waited for. */
class StatusSamplerTest {

    private final CountDownLatch never = new CountDownLatch(1);
    private Instant now = Instant.parse("2026-12-03T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    @AutoClose
    private final DefaultCamelContext context = new DefaultCamelContext();
    @AutoClose
    private final StoreFigures hangingDatabase = new StoreFigures(() -> {
        never.await();
        return (DeadLetterCounts) null;
    }, () -> (BalanceCounts) null, clock);

    @Test
    void aDatabaseThatHangsIsReportedAndTheStatusAnswersAtOnce() {
        hangingDatabase.start(Duration.ofSeconds(5));
        StatusSampler sampler = new StatusSampler(context, hangingDatabase, clock, Duration.ofSeconds(2));

        sampler.sample();
        long before = System.nanoTime();
        HubStatus status = sampler.current();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(200));
        assertThat(status.problems()).anySatisfy(p -> assertThat(p).startsWith("hub database: not read yet"));
        assertThat(status.deadLetters().readAt()).isNull();
    }

    @Test
    void aStatusNotSampledForThreePeriodsSaysHowOldItIs() {
        StatusSampler sampler = new StatusSampler(context, hangingDatabase, clock, Duration.ofSeconds(2));
        sampler.sample();

        now = now.plusSeconds(10);
        HubStatus status = sampler.current();

        assertThat(status.ageSeconds()).isEqualTo(10.0);
        assertThat(status.problems()).anySatisfy(p -> assertThat(p).contains("10 s old"));
    }
}

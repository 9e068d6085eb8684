package io.mt5crmhub.gateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The token bucket on a fake clock: no real time passes in these tests. */
class RatePacerTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void rateZeroNeverWaits() {
        RatePacer pacer = new RatePacer(0, nanos::get);
        pacer.spend(1_000_000);
        assertThat(pacer.nanosUntilReady()).isZero();
    }

    @Test
    void aBigActionPushesTheNextOneBack() {
        RatePacer pacer = new RatePacer(10, nanos::get); // bucket holds 2.5 events
        assertThat(pacer.nanosUntilReady()).isZero();
        pacer.spend(5);
        assertThat(pacer.nanosUntilReady()).isEqualTo(250_000_000L); // 2.5 events owed at 10/s
        nanos.addAndGet(100_000_000L);
        assertThat(pacer.nanosUntilReady()).isEqualTo(150_000_000L);
        nanos.addAndGet(150_000_000L);
        assertThat(pacer.nanosUntilReady()).isZero();
    }

    @Test
    void idleTimeBuysOnlyAQuarterSecondOfBurst() {
        RatePacer pacer = new RatePacer(100, nanos::get);
        nanos.addAndGet(60_000_000_000L);
        pacer.spend(25);
        assertThat(pacer.nanosUntilReady()).isZero();
        pacer.spend(1);
        assertThat(pacer.nanosUntilReady()).isEqualTo(10_000_000L);
    }

    @Test
    void overALongRunTheRateIsKept() {
        double rate = 20;
        RatePacer pacer = new RatePacer(rate, nanos::get);
        long start = nanos.get();
        long events = 0;
        int[] actionSizes = { 3, 1, 7, 2, 4, 12, 1, 2 };
        for (int i = 0; i < 10_000; i++) {
            nanos.addAndGet(pacer.nanosUntilReady());
            int size = actionSizes[i % actionSizes.length];
            pacer.spend(size);
            events += size;
        }
        double seconds = (nanos.get() - start) / 1e9;
        assertThat(events / seconds).isBetween(rate * 0.99, rate * 1.01);
    }

    @Test
    void aGeneratorThatKeepsUpRunsOneActionAtATime() {
        RatePacer pacer = new RatePacer(2000, nanos::get);
        pacer.spend(500); // the initial burst
        nanos.addAndGet(pacer.nanosUntilReady());
        assertThat(pacer.actionsAllowed(3, 500)).isEqualTo(1);
        assertThat(new RatePacer(0, nanos::get).actionsAllowed(3, 500)).isEqualTo(500);
    }

    @Test
    void aGeneratorBehindTheRateGroupsActionsUntilItKeepsTheRate() {
        double rate = 2000;
        RatePacer pacer = new RatePacer(rate, nanos::get);
        long commitNanos = 2_000_000; // one commit takes 2 ms: alone, 500 actions of 3 events = 1,500 events/s
        long start = nanos.get();
        long events = 0;
        int most = 0;
        for (int i = 0; i < 10_000; i++) {
            nanos.addAndGet(pacer.nanosUntilReady());
            int actions = pacer.actionsAllowed(3, 500);
            most = Math.max(most, actions);
            nanos.addAndGet(commitNanos);
            pacer.spend(3 * actions);
            events += 3L * actions;
        }
        double seconds = (nanos.get() - start) / 1e9;
        assertThat(events / seconds).isBetween(rate * 0.97, rate * 1.03);
        assertThat(most).as("no bigger groups than the bucket holds").isLessThanOrEqualTo(500 / 3);
    }
}

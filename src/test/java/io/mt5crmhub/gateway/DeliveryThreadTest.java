package io.mt5crmhub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The delivery thread's pause, sleep and graceful stop, with a worker that counts its deliveries. */
class DeliveryThreadTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private DeliveryThread<Counter> delivery = new DeliveryThread<>(Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        delivery.stop();
    }

    @Test
    void pauseReturnsOnceTheWorkerHoldsAndNothingIsDeliveredUntilResume() throws Exception {
        Counter worker = delivery.start(Counter::new);
        await().atMost(PATIENCE).until(() -> worker.deliveries.get() > 100);

        delivery.pause();
        int held = worker.deliveries.get();
        assertThat(delivery.isHolding()).isTrue();
        Thread.sleep(50);
        assertThat(worker.deliveries.get()).isEqualTo(held);

        delivery.resume();
        await().atMost(PATIENCE).until(() -> worker.deliveries.get() > held);
        assertThat(delivery.isHolding()).isFalse();
    }

    @Test
    void thePauseOutlivesTheWorkerSoTheNextOneHoldsBeforeItsFirstDelivery() throws Exception {
        delivery.start(Counter::new);
        delivery.pause();
        delivery.stop();

        Counter next = delivery.start(Counter::new);
        await().atMost(PATIENCE).until(delivery::isHolding);
        assertThat(next.deliveries.get()).isZero();
        delivery.resume();
        await().atMost(PATIENCE).until(() -> next.deliveries.get() > 0);
    }

    @Test
    void stopLetsTheDeliveryInProgressFinishAndEndsTheWorker() throws Exception {
        Semaphore permits = new Semaphore(0);
        Counter worker = delivery.start(() -> new Counter(c -> permits.acquireUninterruptibly()));
        await().atMost(PATIENCE).until(() -> worker.deliveries.get() == 1 && permits.hasQueuedThreads());

        Thread stopper = new Thread(delivery::stop);
        stopper.start();
        await().atMost(PATIENCE).until(() -> delivery.current() == null);
        assertThat(stopper.isAlive()).as("stop waits for the delivery in progress").isTrue();
        permits.release(Integer.MAX_VALUE / 2);
        stopper.join(PATIENCE.toMillis());

        assertThat(worker.ended.getCount()).isZero();
        assertThat(worker.interrupted).isFalse();
        assertThat(worker.blockedAtStop).isFalse();
        assertThat(worker.deliveries.get()).isEqualTo(1);
    }

    @Test
    void aWorkerBlockedLongerThanTheGraceIsInterrupted() throws Exception {
        delivery = new DeliveryThread<>(Duration.ofMillis(200));
        Semaphore never = new Semaphore(0);
        Counter worker = delivery.start(() -> new Counter(c -> {
            try {
                never.acquire();
            } catch (InterruptedException e) {
                c.interrupted = true;
            }
        }));
        await().atMost(PATIENCE).until(never::hasQueuedThreads);

        delivery.stop();

        assertThat(worker.blockedAtStop).isTrue();
        assertThat(worker.interrupted).isTrue();
        assertThat(worker.ended.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPauseThatOutwaitsABusyWorkerSaysSoAndReturns() throws Exception {
        delivery = new DeliveryThread<>(Duration.ofMillis(200));
        Semaphore permits = new Semaphore(0);
        Counter worker = delivery.start(() -> new Counter(c -> permits.acquireUninterruptibly()));
        await().atMost(PATIENCE).until(permits::hasQueuedThreads);

        delivery.pause();

        assertThat(worker.stillBusyAfterPause).isTrue();
        assertThat(delivery.isHolding()).isFalse();
        permits.release(Integer.MAX_VALUE / 2);
        await().atMost(PATIENCE).until(delivery::isHolding);
    }

    @Test
    void theWorkerMayPauseAndStopItselfFromInsideADelivery() throws Exception {
        AtomicReference<Thread> deliveringThread = new AtomicReference<>();
        Counter worker = delivery.start(() -> new Counter(c -> {
            deliveringThread.set(Thread.currentThread());
            if (c.deliveries.get() == 10) {
                delivery.pause(); // returns at once: the worker holds after this delivery
                delivery.stop(); // returns at once: the worker cannot join itself
            }
        }));

        assertThat(worker.ended.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(worker.deliveries.get()).isEqualTo(10);
        assertThat(deliveringThread.get().getName()).isEqualTo("counter");
        delivery.resume();
    }

    @Test
    void sleepWakesOnPauseAndOnStop() throws Exception {
        Counter worker = delivery.start(() -> new Counter(c -> c.sleepLong()));
        await().atMost(PATIENCE).until(() -> worker.deliveries.get() == 1);

        long pausedAt = System.nanoTime();
        delivery.pause();
        assertThat(Duration.ofNanos(System.nanoTime() - pausedAt)).isLessThan(PATIENCE);
        assertThat(delivery.isHolding()).isTrue();

        delivery.resume();
        await().atMost(PATIENCE).until(() -> worker.deliveries.get() == 2);
        long stoppedAt = System.nanoTime();
        delivery.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(PATIENCE);
        assertThat(worker.interrupted).isFalse();
    }

    @Test
    void aSecondWorkerCannotStartWhileOneIsCurrent() {
        delivery.start(Counter::new);

        assertThatThrownBy(() -> delivery.start(Counter::new)).isInstanceOf(IllegalStateException.class);
    }

    /** Counts deliveries; each delivery runs {@code each}, which may block, sleep or pause. */
    private static final class Counter extends DeliveryThread.Worker {

        final AtomicInteger deliveries = new AtomicInteger();
        final CountDownLatch ended = new CountDownLatch(1);
        private final Consumer<Counter> each;
        volatile boolean interrupted;
        volatile boolean stillBusyAfterPause;
        volatile boolean blockedAtStop;

        Counter() {
            this(c -> { });
        }

        Counter(Consumer<Counter> each) {
            super("counter", true);
            this.each = each;
        }

        @Override
        protected void deliverUntilStopped() {
            try {
                while (awaitTurn()) {
                    deliveries.incrementAndGet();
                    each.accept(this);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                end();
                ended.countDown();
            }
        }

        void sleepLong() {
            try {
                sleep(Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }

        @Override
        protected void stillBusyAfterPause(Duration grace) {
            stillBusyAfterPause = true;
        }

        @Override
        protected void blockedAtStop(Duration grace) {
            blockedAtStop = true;
        }
    }
}

package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscriptionTest {

    @TempDir
    Path dir;

    private static Mt5Event deal(long ticket) {
        return EventSamples.deposit("s1", ticket, 1001, "10.00", "d" + ticket);
    }

    @Test
    void healthAndMetricsReadTheBacklogWhileTheLockIsHeld() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        Subscription subscription = new Subscription(EntityType.DEAL, e -> true, 2,
                new DiskOverflow(dir, 1 << 20), lock);
        subscription.offer(deal(1), 111);
        subscription.offer(deal(2), 222);
        subscription.offer(deal(3), 333); // the queue is full: to the overflow

        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread gateway = new Thread(() -> {
            lock.lock(); // as the gateway does while it writes to a slow disk
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        gateway.start();
        held.await();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThat(subscription.pending()).isEqualTo(2);
                assertThat(subscription.overflowed()).isEqualTo(1);
                assertThat(subscription.oldestWaitingReceivedAt()).isEqualTo(111);
            });
        } finally {
            release.countDown();
            gateway.join();
        }
    }

    @Test
    void theFiguresFollowEveryChange() throws Exception {
        Subscription subscription = new Subscription(EntityType.DEAL, e -> true, 2, new DiskOverflow(dir, 1 << 20));
        assertThat(subscription.pending()).isZero();
        assertThat(subscription.oldestWaitingReceivedAt()).isZero();

        subscription.offer(deal(1), 111);
        subscription.offer(deal(2), 222);
        subscription.offer(deal(3), 333);
        assertThat(subscription.pending()).isEqualTo(2);
        assertThat(subscription.overflowed()).isEqualTo(1);

        subscription.poll(0); // taken: still pending until its exchange completes
        assertThat(subscription.pending()).isEqualTo(2);
        assertThat(subscription.oldestWaitingReceivedAt()).isEqualTo(222);

        subscription.completed(1, true);
        assertThat(subscription.pending()).isEqualTo(1);

        List<Mt5Event> drained = new ArrayList<>();
        subscription.drainTo(drained, 10);
        subscription.completed(drained.size(), true);
        assertThat(subscription.oldestWaitingReceivedAt()).isZero();

        subscription.drainTo(drained, 10); // the queue is empty: the overflow is read back
        assertThat(drained).extracting(Mt5Event::eventId).containsExactly(deal(2).eventId(), deal(3).eventId());
        assertThat(subscription.overflowed()).isZero();
        assertThat(subscription.pending()).isEqualTo(1);

        subscription.completed(1, true);
        assertThat(subscription.pending()).isZero();
    }

    @Test
    void whatAStopPutsBackInFrontOfTheOverflowLeavesTheFiguresAtOnce() throws Exception {
        Subscription subscription = new Subscription(EntityType.DEAL, e -> true, 5, new DiskOverflow(dir, 1 << 20));
        subscription.offer(deal(1), 111);
        subscription.offer(deal(2), 222);

        subscription.close();

        assertThat(subscription.pending()).isZero();
        assertThat(subscription.overflowed()).isEqualTo(2);
        assertThat(subscription.oldestWaitingReceivedAt()).isZero();
    }
}

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

    @Test
    void aBackfillFailingAtStopLeavesNothingNewerToBeRoutedBeforeItAtTheNextStart() throws Exception {
        Subscription subscription = new Subscription(EntityType.DEAL, e -> true, 2, new DiskOverflow(dir, 1 << 20));
        subscription.offer(deal(201), 1); // live events that came while the back-fill of 1..200 was in flight
        subscription.offer(deal(202), 2);
        subscription.offer(deal(203), 3); // overflowed: the queue holds 2
        subscription.setSuspended(true);
        assertThat(subscription.overflowQueuedIfStalled(Duration.ZERO)).as("a stalled sink at stop").isEqualTo(2);

        subscription.rereadAllAtNextStart(); // the back-fill list failed: 1..200 are read again from the checkpoint
        subscription.keepForNextStart(List.of(deal(204)), 4); // a later live list of the same stop fails too
        subscription.close();

        Subscription next = new Subscription(EntityType.DEAL, e -> true, 2, new DiskOverflow(dir, 1 << 20));
        assertThat(next.overflowed()).as("nothing kept to be routed before the re-read deals").isZero();
        assertThat(next.poll(10)).isNull();
    }

    @Test
    void aLiveListFailingAtStopGoesFirstAtTheNextStart() throws Exception {
        Subscription subscription = new Subscription(EntityType.DEAL, e -> true, 2, new DiskOverflow(dir, 1 << 20));
        subscription.offer(deal(3), 3);
        subscription.offer(deal(4), 4);
        subscription.offer(deal(5), 5);
        subscription.setSuspended(true);
        subscription.keepForNextStart(List.of(deal(1), deal(2)), 1);
        subscription.close();

        Subscription next = new Subscription(EntityType.DEAL, e -> true, 10, new DiskOverflow(dir, 1 << 20));
        List<Long> tickets = new ArrayList<>();
        for (Subscription.Received r = next.poll(100); r != null; r = next.poll(100)) {
            tickets.add(r.event().deal().ticket());
        }
        assertThat(tickets).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void listsFailingInFlightAtStopGoFirstOldestFirstWhateverOrderTheyFailIn() throws Exception {
        Subscription subscription = new Subscription(EntityType.DEAL, e -> true, 2, new DiskOverflow(dir, 1 << 20));
        subscription.offer(deal(7), 7);
        subscription.setSuspended(true);
        // three exchanges were in flight (maxInflight 3); the newest fails first
        subscription.keepForNextStart(List.of(deal(5), deal(6)), 5);
        subscription.keepForNextStart(List.of(deal(1), deal(2)), 1);
        subscription.offer(deal(8), 8); // arrives while stopping: behind everything
        subscription.keepForNextStart(List.of(deal(3), deal(4)), 3);
        assertThat(subscription.overflowed()).as("kept and overflowed, counted at once").isEqualTo(8);
        subscription.close();

        Subscription next = new Subscription(EntityType.DEAL, e -> true, 10, new DiskOverflow(dir, 1 << 20));
        List<Long> tickets = new ArrayList<>();
        for (Subscription.Received r = next.poll(100); r != null; r = next.poll(100)) {
            tickets.add(r.event().deal().ticket());
        }
        assertThat(tickets).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }
}

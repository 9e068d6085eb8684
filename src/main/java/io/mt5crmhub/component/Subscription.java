package io.mt5crmhub.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer's share of a server connection: the events of its entity that pass its filter, in a bounded
 * queue. With a {@link DiskOverflow}, what a full queue cannot hold goes to disk in order and comes back as the
 * queue empties, so a slow or stopped sink falls behind without making the gateway (and so every other sink) wait;
 * only an overflow at its size limit makes the gateway wait. Without one, a full queue makes the gateway wait
 * (back-pressure). A closed subscription takes nothing more.
 * <p>
 * A hand-written queue rather than a {@code BlockingQueue}: an event is counted as pending from the moment it
 * is offered until its exchange completes, with no window in between. Camel's graceful shutdown stops the next
 * routes (the CRM pipeline) as soon as it sees nothing pending, so an event taken from a queue but not yet
 * counted as in flight would be routed into a stopped route.
 * <p>
 * Health checks and metric scrapes read the backlog ({@link #pending()}, {@link #overflowed()},
 * {@link #oldestWaitingReceivedAt()}) from figures published under the lock after every change, without taking it:
 * the gateway holds the lock while it writes to the overflow and a poll while it reads back, and a slow disk must not
 * hold up the health endpoint (Camel answers it, and the metrics scrape, on the HTTP server's event loop).
 */
final class Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    private static final long OFFER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final EntityType entity;
    private final Predicate<Mt5Event> filter;
    private final int capacity;
    private final ArrayDeque<Received> items;
    private final ReentrantLock lock;
    private final Condition notEmpty;
    private final Condition notFull;
    private final DiskOverflow overflow;
    private int taken;
    /** Events are in the overflow: new ones go there too, behind them, until it is read empty. */
    private boolean overflowing;
    private volatile long lastProgressNanos = System.nanoTime();
    private boolean overflowStuckLogged;
    private volatile boolean closed;
    private volatile boolean suspended;
    /** A stop whose back-fill failed: nothing is kept for the next start, which reads it all again from MT5. */
    private boolean rereadAtNextStart;
    /**
     * The lists that failed at this stop, by the hand-over time of their earliest event: with several exchanges in
     * flight they fail in any order, so they go in front of the overflow together, oldest first, at {@link #close()}.
     */
    private final TreeMap<Long, List<Received>> keptAtStop = new TreeMap<>();
    private int keptAtStopCount;
    private volatile boolean backfillRequested;
    private volatile boolean backfillRunning;
    /** The backlog as of the last change, for readers that must not wait for the lock (see the class comment). */
    private volatile int pendingFigure;
    private volatile long overflowedFigure;
    private volatile long oldestWaitingFigure;

    Subscription(EntityType entity, Predicate<Mt5Event> filter, int capacity) {
        this(entity, filter, capacity, null);
    }

    /** @param overflow where events go while the queue is full, or null to make the gateway wait instead */
    Subscription(EntityType entity, Predicate<Mt5Event> filter, int capacity, DiskOverflow overflow) {
        this(entity, filter, capacity, overflow, new ReentrantLock());
    }

    /** @param lock guards the queue and the overflow (a test holds it to show what reads go without it) */
    Subscription(EntityType entity, Predicate<Mt5Event> filter, int capacity, DiskOverflow overflow,
                 ReentrantLock lock) {
        this.lock = lock;
        this.notEmpty = lock.newCondition();
        this.notFull = lock.newCondition();
        this.entity = entity;
        this.filter = filter;
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 1024));
        this.overflow = overflow;
        this.overflowing = overflow != null && !overflow.isEmpty(); // left by the previous run: read first
        publishFigures();
    }

    /** Under the lock, after a change: the figures {@link #pending()} and its siblings read without it. */
    private void publishFigures() {
        pendingFigure = items.size() + taken;
        overflowedFigure = overflow == null ? 0 : overflow.count() + keptAtStopCount;
        Received head = items.peekFirst();
        oldestWaitingFigure = head == null ? 0 : head.receivedAt();
    }

    boolean wants(Mt5Event event) {
        return !closed && accepts(event);
    }

    boolean accepts(Mt5Event event) {
        return event.entity() == entity && filter.test(event);
    }

    /**
     * An event with the wall-clock time the gateway handed it to the hub (epoch nanoseconds, see
     * {@link Mt5Constants#RECEIVED_AT}).
     */
    record Received(Mt5Event event, long receivedAt) {
    }

    /**
     * Blocks while the queue is full, unless the subscription closes meanwhile; {@code receivedAt} is when the
     * gateway handed the event over, before any wait here.
     */
    void offer(Mt5Event event, long receivedAt) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (overflow != null && (overflowing || items.size() >= capacity)) {
                toOverflow(event, receivedAt);
                return;
            }
            while (items.size() >= capacity) {
                if (closed) {
                    return;
                }
                notFull.awaitNanos(OFFER_WAIT_NANOS);
            }
            if (!closed) {
                items.addLast(new Received(event, receivedAt));
                notEmpty.signal();
            }
        } finally {
            publishFigures();
            lock.unlock();
        }
    }

    /**
     * Appends behind what the overflow holds; while it is at its limit, waits for the sink to take events (the
     * gateway waits, as without an overflow). A disk that refuses the write is waited for the same way.
     */
    private void toOverflow(Mt5Event event, long receivedAt) throws InterruptedException {
        while (!closed) {
            if (!overflow.isFull()) {
                try {
                    overflow.append(event, receivedAt);
                    overflowing = true;
                    overflowStuckLogged = false;
                    notEmpty.signal();
                    return;
                } catch (IOException e) {
                    if (!overflowStuckLogged) {
                        LOG.warn("Cannot write the {} overflow ({}): the gateway waits for the sink", entity, e.toString());
                        overflowStuckLogged = true;
                    }
                }
            }
            notFull.awaitNanos(OFFER_WAIT_NANOS);
        }
    }

    /**
     * Moves overflowed events into the empty queue, unless suspended (a stopping consumer leaves them on disk for
     * the next start).
     */
    private void refill() {
        if (!overflowing || !items.isEmpty() || suspended) {
            return;
        }
        try {
            for (Received r : overflow.read(Math.max(1, capacity / 2))) {
                items.addLast(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + entity + " overflow back", e);
        }
        overflowing = !overflow.isEmpty();
        notFull.signalAll();
    }

    /** Takes the oldest event; it stays pending until {@link #completed(int, boolean)} is called for it. */
    Received poll(long timeoutMs) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lockInterruptibly();
        try {
            refill();
            while (items.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
                refill();
            }
            taken++;
            notFull.signal();
            return items.pollFirst();
        } finally {
            publishFigures();
            lock.unlock();
        }
    }

    /** Moves up to {@code max} waiting events to {@code into}, without waiting; each stays pending like a polled one. */
    int drainTo(List<Mt5Event> into, int max) {
        lock.lock();
        try {
            refill();
            int n = Math.min(max, items.size());
            for (int i = 0; i < n; i++) {
                into.add(items.pollFirst().event());
            }
            taken += n;
            if (n > 0) {
                notFull.signalAll();
            }
            return n;
        } finally {
            publishFigures();
            lock.unlock();
        }
    }

    /** The exchange of {@code count} taken events has completed; {@code delivered} when it did not fail. */
    void completed(int count, boolean delivered) {
        lock.lock();
        try {
            taken -= count;
            if (delivered) {
                lastProgressNanos = System.nanoTime();
            }
        } finally {
            publishFigures();
            lock.unlock();
        }
    }

    /**
     * For a stop whose sink fails: puts a failed exchange's events, then everything queued, in front of the
     * overflow, for the next start to route first. Without an overflow nothing is kept (deals are read again from
     * the checkpoint).
     */
    void keepForNextStart(List<Mt5Event> failed, long receivedAt) {
        lock.lock();
        try {
            if (overflow != null && !rereadAtNextStart) {
                List<Received> kept = new ArrayList<>(failed.size());
                failed.forEach(event -> kept.add(new Received(event, receivedAt)));
                // two lists handed over in the same nanosecond keep the order they failed in
                keptAtStop.merge(receivedAt, kept, (earlier, later) -> {
                    earlier.addAll(later);
                    return earlier;
                });
                keptAtStopCount += kept.size();
                putInFrontOfOverflow(List.of()); // the queue is newer than every list in flight
            }
        } finally {
            publishFigures();
            lock.unlock();
        }
    }

    /**
     * For a stop whose back-fill fails: the next start reads those events again from MT5 (deals from the checkpoint,
     * which stays before them; positions and accounts from a snapshot), so nothing newer may be routed before them.
     * What is queued or overflowed is therefore dropped rather than kept (MT5 holds it all and the next back-fill
     * reads it again), and so is whatever a later failure of this stop would keep: kept, the live events that came
     * during the back-fill went to the sink before the older back-filled ones at the next start.
     */
    void rereadAllAtNextStart() {
        lock.lock();
        try {
            rereadAtNextStart = true;
            long dropped = items.size() + (overflow == null ? 0 : overflow.count()) + keptAtStopCount;
            items.clear();
            keptAtStop.clear();
            keptAtStopCount = 0;
            if (overflow != null) {
                overflow.discard();
                overflowing = false;
            }
            notFull.signalAll();
            if (dropped > 0) {
                LOG.info("A {} back-fill failed at stop: {} queued events are not kept, the next start reads them"
                        + " again from MT5", entity, dropped);
            }
        } catch (IOException e) {
            LOG.warn("Cannot drop the {} overflow at stop: {}", entity, e.toString());
        } finally {
            publishFigures();
            lock.unlock();
        }
    }

    /** Under the lock, with an overflow: {@code first}, then the queue, go in front of the overflow. */
    private int putInFrontOfOverflow(List<Received> first) {
        List<Received> kept = new ArrayList<>(first.size() + items.size());
        kept.addAll(first);
        kept.addAll(items);
        try {
            overflow.prepend(kept);
            overflow.flush();
        } catch (IOException e) {
            LOG.warn("Cannot keep {} {} events in the overflow for the next start: {}", kept.size(), entity,
                    e.toString());
            return 0;
        }
        items.clear();
        overflowing = true;
        notFull.signalAll();
        return kept.size();
    }

    /** Events queued in memory or taken and not yet completed (not those in the overflow); never waits. */
    int pending() {
        return pendingFigure;
    }

    /** Events in the overflow, on disk; never waits. */
    long overflowed() {
        return overflowedFigure;
    }

    /** The oldest deal time the overflow holds (or held since it was last empty), or null. */
    Instant oldestOverflowedDeal() {
        lock.lock();
        try {
            return overflow == null ? null : overflow.oldestDealTime();
        } finally {
            lock.unlock();
        }
    }

    /**
     * When the oldest event waiting in the queue was handed over (epoch nanoseconds), or 0 when none waits; never
     * waits.
     */
    long oldestWaitingReceivedAt() {
        return oldestWaitingFigure;
    }

    /**
     * For a stop: when the sink has completed nothing for {@code stalled}, puts the queued events back in front of the
     * overflow, so the stop waits only for the exchanges in flight and the next start routes them first.
     *
     * @return how many were put back
     */
    int overflowQueuedIfStalled(Duration stalled) {
        lock.lock();
        try {
            if (overflow == null || items.isEmpty() || rereadAtNextStart
                    || System.nanoTime() - lastProgressNanos < stalled.toNanos()) {
                return 0;
            }
            return putInFrontOfOverflow(List.of());
        } finally {
            publishFigures();
            lock.unlock();
        }
    }

    List<Mt5Event> queued() {
        lock.lock();
        try {
            List<Mt5Event> events = new ArrayList<>(items.size());
            for (Received received : items) {
                events.add(received.event());
            }
            return events;
        } finally {
            lock.unlock();
        }
    }

    EntityType entity() {
        return entity;
    }

    void requestBackfill() {
        backfillRequested = true;
    }

    /** Takes the request and marks the back-fill running, until {@link #backfillEnded()}. */
    boolean takeBackfillRequest() {
        if (backfillRequested) {
            backfillRunning = true;
            backfillRequested = false;
            return true;
        }
        return false;
    }

    /** From {@link #takeBackfillRequest()} to {@link #backfillEnded()}. */
    boolean isBackfillRunning() {
        return backfillRunning;
    }

    /** The back-fill taken ended; if it failed, {@link #requestBackfill()} was called before this. */
    void backfillEnded() {
        backfillRunning = false;
    }

    /**
     * A back-fill is asked for or running: until it has read MT5's history, the deals it has yet to read are pending
     * too, and nothing the feed knows of tells their time.
     */
    boolean awaitsBackfill() {
        return backfillRequested || backfillRunning;
    }

    boolean isSuspended() {
        return suspended;
    }

    void setSuspended(boolean suspended) {
        this.suspended = suspended;
        if (!suspended) {
            lastProgressNanos = System.nanoTime();
        }
    }

    void close() {
        closed = true;
        lock.lock();
        try {
            notFull.signalAll();
            if (overflow != null && rereadAtNextStart) {
                items.clear(); // read again from MT5 at the next start (rereadAllAtNextStart)
            }
            if (overflow != null) {
                try {
                    overflow.prepend(new ArrayList<>(items)); // what a stop did not route: first at the next start
                    items.clear();
                    List<Received> failedFirst = new ArrayList<>(keptAtStopCount);
                    keptAtStop.values().forEach(failedFirst::addAll);
                    overflow.prepend(failedFirst); // and before it, what failed in flight, oldest first
                    keptAtStop.clear();
                    keptAtStopCount = 0;
                } catch (IOException e) {
                    LOG.warn("Cannot keep the {} events still queued and the {} that failed at stop in the {}"
                            + " overflow: {}", items.size(), keptAtStopCount, entity, e.toString());
                }
                overflow.close();
            }
        } finally {
            publishFigures();
            lock.unlock();
        }
    }
}

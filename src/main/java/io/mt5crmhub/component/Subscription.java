package io.mt5crmhub.component;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;

/**
 * One consumer's share of a server connection: the events of its entity that pass its filter, in a bounded
 * queue. A full queue makes the gateway wait (back-pressure); a closed subscription takes nothing more.
 * <p>
 * A hand-written queue rather than a {@code BlockingQueue}: an event is counted as pending from the moment it
 * is offered until its exchange completes, with no window in between. Camel's graceful shutdown stops the next
 * routes (the CRM pipeline) as soon as it sees nothing pending, so an event taken from a queue but not yet
 * counted as in flight would be routed into a stopped route.
 */
final class Subscription {

    private static final long OFFER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final EntityType entity;
    private final Predicate<Mt5Event> filter;
    private final int capacity;
    private final ArrayDeque<Received> items;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private int taken;
    private volatile boolean closed;
    private volatile boolean suspended;
    private volatile boolean backfillRequested;

    Subscription(EntityType entity, Predicate<Mt5Event> filter, int capacity) {
        this.entity = entity;
        this.filter = filter;
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 1024));
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
            lock.unlock();
        }
    }

    /** Takes the oldest event; it stays pending until {@link #completed(int)} is called for it. */
    Received poll(long timeoutMs) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lockInterruptibly();
        try {
            while (items.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            taken++;
            notFull.signal();
            return items.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Moves up to {@code max} waiting events to {@code into}, without waiting; each stays pending like a polled one. */
    int drainTo(List<Mt5Event> into, int max) {
        lock.lock();
        try {
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
            lock.unlock();
        }
    }

    /** The exchange of {@code count} taken events has completed. */
    void completed(int count) {
        lock.lock();
        try {
            taken -= count;
        } finally {
            lock.unlock();
        }
    }

    /** Events queued or taken and not yet completed. */
    int pending() {
        lock.lock();
        try {
            return items.size() + taken;
        } finally {
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

    boolean takeBackfillRequest() {
        if (backfillRequested) {
            backfillRequested = false;
            return true;
        }
        return false;
    }

    boolean isSuspended() {
        return suspended;
    }

    void setSuspended(boolean suspended) {
        this.suspended = suspended;
    }

    void close() {
        closed = true;
        lock.lock();
        try {
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

package io.mt5crmhub.component;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;

/**
 * One consumer's share of a server connection: the events of its entity that pass its filter, in a bounded
 * queue. A full queue makes the gateway wait (back-pressure); a closed subscription takes nothing more.
 */
final class Subscription {

    private static final long OFFER_WAIT_MS = 200;

    private final EntityType entity;
    private final Predicate<Mt5Event> filter;
    private final BlockingQueue<Mt5Event> queue;
    private volatile boolean closed;
    private volatile boolean suspended;
    private volatile boolean backfillRequested;

    Subscription(EntityType entity, Predicate<Mt5Event> filter, int capacity) {
        this.entity = entity;
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    boolean wants(Mt5Event event) {
        return !closed && event.entity() == entity && filter.test(event);
    }

    /** Blocks while the queue is full, unless the subscription closes meanwhile. */
    void offer(Mt5Event event) throws InterruptedException {
        while (!closed) {
            if (queue.offer(event, OFFER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    Mt5Event poll(long timeoutMs) throws InterruptedException {
        return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    BlockingQueue<Mt5Event> queue() {
        return queue;
    }

    int pending() {
        return queue.size();
    }

    EntityType entity() {
        return entity;
    }

    boolean accepts(Mt5Event event) {
        return event.entity() == entity && filter.test(event);
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
    }

    boolean isClosed() {
        return closed;
    }
}

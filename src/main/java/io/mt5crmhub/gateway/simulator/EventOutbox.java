package io.mt5crmhub.gateway.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.mt5crmhub.event.Mt5Event;

/**
 * Committed events waiting for delivery, in commit order. Generated actions and balance operations from other
 * threads both land here, so the listener sees changes in the order the books made them.
 */
final class EventOutbox {

    private final Object monitor = new Object();
    private final ArrayDeque<Mt5Event> queue = new ArrayDeque<>();
    private boolean wakeRequested;
    private long appended;

    void append(Collection<Mt5Event> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (monitor) {
            appended += events.size();
            queue.addAll(events);
            monitor.notifyAll();
        }
    }

    /** Events appended since the outbox was made. */
    long appended() {
        synchronized (monitor) {
            return appended;
        }
    }

    List<Mt5Event> drain() {
        synchronized (monitor) {
            List<Mt5Event> events = new ArrayList<>(queue);
            queue.clear();
            return events;
        }
    }

    /** Waits until events are queued, {@link #wake()} is called or the time is up. */
    void await(long nanos) throws InterruptedException {
        synchronized (monitor) {
            long deadline = System.nanoTime() + nanos;
            long remaining = nanos;
            while (queue.isEmpty() && !wakeRequested && remaining > 0) {
                TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                remaining = deadline - System.nanoTime();
            }
            wakeRequested = false;
        }
    }

    void wake() {
        synchronized (monitor) {
            wakeRequested = true;
            monitor.notifyAll();
        }
    }
}

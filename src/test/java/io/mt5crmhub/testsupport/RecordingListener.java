package io.mt5crmhub.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayListener;

/**
 * Records what a gateway tells it: the events, and {@code connected} / {@code disconnected: <reason>} in order. It
 * can hold deliveries back (one permit per event) to apply back-pressure, and run an action on each event.
 */
public final class RecordingListener implements GatewayListener {

    private final List<Mt5Event> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Semaphore permits;
    private volatile Consumer<Mt5Event> onEach = e -> { };
    private volatile Thread deliveryThread;

    public RecordingListener() {
        this(null);
    }

    /** A listener that takes one of {@code permits} before it records each event. */
    public RecordingListener(Semaphore permits) {
        this.permits = permits;
    }

    /** Runs {@code action} on each event, on the delivering thread, after recording it. */
    public void onEach(Consumer<Mt5Event> action) {
        this.onEach = action;
    }

    @Override
    public void onEvent(Mt5Event event) throws InterruptedException {
        deliveryThread = Thread.currentThread();
        if (permits != null) {
            permits.acquire();
        }
        events.add(event);
        onEach.accept(event);
    }

    @Override
    public void onConnected() {
        calls.add("connected");
    }

    @Override
    public void onDisconnected(String reason) {
        calls.add("disconnected: " + reason);
    }

    /** {@code connected} and {@code disconnected: <reason>}, in order; a live, synchronized list. */
    public List<String> calls() {
        return calls;
    }

    /** The thread of the latest delivery, or null before the first. */
    public Thread deliveryThread() {
        return deliveryThread;
    }

    public int size() {
        return events.size();
    }

    /** The events so far, in delivery order. */
    public List<Mt5Event> snapshot() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    public List<Mt5Event> events(EntityType entity) {
        synchronized (events) {
            return events.stream().filter(e -> e.entity() == entity).toList();
        }
    }

    public List<Long> dealTickets() {
        return events(EntityType.DEAL).stream().map(e -> e.deal().ticket()).toList();
    }

    public boolean disconnected() {
        synchronized (calls) {
            return calls.stream().anyMatch(c -> c.startsWith("disconnected"));
        }
    }
}

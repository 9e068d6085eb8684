package io.mt5crmhub.gateway.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayListener;

/** Records what a gateway tells it; can hold deliveries back (one permit per event) to apply back-pressure. */
final class RecordingListener implements GatewayListener {

    final List<Mt5Event> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Semaphore permits;
    private volatile Consumer<Mt5Event> onEach = e -> { };
    volatile Thread deliveryThread;

    RecordingListener() {
        this(null);
    }

    RecordingListener(Semaphore permits) {
        this.permits = permits;
    }

    void onEach(Consumer<Mt5Event> action) {
        this.onEach = action;
    }

    @Override
    public void onEvent(Mt5Event event) throws InterruptedException {
        deliveryThread = Thread.currentThread();
        if (permits != null) {
            permits.acquire();
        }
        if (calls.isEmpty() || !calls.get(calls.size() - 1).equals("event")) {
            calls.add("event");
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

    int size() {
        return events.size();
    }

    List<Mt5Event> snapshot() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    boolean disconnected() {
        synchronized (calls) {
            return calls.stream().anyMatch(c -> c.startsWith("disconnected"));
        }
    }
}

package io.mt5crmhub.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5EventSource;

/**
 * What the {@code mt5:} component does with a gateway's deal stream, kept small enough for bursts: it keeps a
 * checkpoint at the last deal it was given, and on every reconnect back-fills from it on a thread of its own. It holds deal tickets only, so that what it keeps does not grow with the size of an
 * event. It can be closed like a stalled hub: each delivery then waits until {@link #open()}.
 */
public final class CheckpointingListener implements GatewayListener {

    /** How far past the checkpoint a back-fill reads: beyond any clock of a test's MT5. */
    private static final Duration AHEAD = Duration.ofDays(3_650);
    private static final int BACKFILL_ATTEMPTS = 10;
    private static final Duration RETRY_DELAY = Duration.ofMillis(500);

    private final Mt5EventSource gateway;
    private final Set<Long> live = new ConcurrentSkipListSet<>();
    private final List<Set<Long>> backfills = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong repeatedDealAdds = new AtomicLong();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile Instant checkpoint = Instant.EPOCH;
    private boolean first = true;

    /** A listener reading its back-fills from {@code gateway}. */
    public CheckpointingListener(Mt5EventSource gateway) {
        this.gateway = gateway;
    }

    /** A listener of a restarted hub: it back-fills from its stored {@code checkpoint} on the first connect too. */
    public static CheckpointingListener resumingFrom(Mt5EventSource gateway, Instant checkpoint) {
        CheckpointingListener listener = new CheckpointingListener(gateway);
        listener.checkpoint = checkpoint;
        listener.first = false;
        return listener;
    }

    /** When the last deal delivered live was made. */
    public Instant checkpoint() {
        return checkpoint;
    }

    /** Deliveries wait from now on, as into a hub that takes nothing. */
    public void close() {
        gate = new CountDownLatch(1);
    }

    /** Deliveries go on. */
    public void open() {
        gate.countDown();
    }

    @Override
    public void onEvent(Mt5Event event) throws InterruptedException {
        gate.await();
        events.incrementAndGet();
        if (event.entity() == EntityType.DEAL) {
            if (!live.add(event.deal().ticket()) && event.type() == EventType.DEAL_ADDED) {
                repeatedDealAdds.incrementAndGet();
            }
            checkpoint = event.occurredAt();
        }
    }

    @Override
    public void onConnected() {
        calls.add("connected");
        if (first) {
            first = false;
            return;
        }
        Instant from = checkpoint;
        Thread backfill = new Thread(() -> backfill(from), "checkpointing-listener-backfill");
        backfill.setDaemon(true);
        backfill.start();
    }

    /**
     * Reads the deals since {@code from} on a thread of its own, as the component's consumer does, retrying while
     * the gateway is not ready to answer (a few times, as the component's back-fill retries with a delay).
     */
    private void backfill(Instant from) {
        GatewayException last = null;
        for (int attempt = 0; attempt < BACKFILL_ATTEMPTS; attempt++) {
            try {
                Set<Long> tickets = new ConcurrentSkipListSet<>();
                for (Mt5Event deal : gateway.dealHistory(from, from.plus(AHEAD))) {
                    tickets.add(deal.deal().ticket());
                }
                backfills.add(tickets);
                return;
            } catch (GatewayException e) {
                last = e;
                try {
                    Thread.sleep(RETRY_DELAY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        failures.add(last == null ? "interrupted" : last.getMessage());
        backfills.add(Set.of());
    }

    @Override
    public void onDisconnected(String reason) {
        calls.add("disconnected: " + reason);
    }

    /** Deal tickets delivered live or read by a back-fill. */
    public Set<Long> seen() {
        Set<Long> all = new ConcurrentSkipListSet<>(live);
        backfills.forEach(all::addAll);
        return all;
    }

    /** {@code connected} and {@code disconnected: <reason>}, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public long disconnects() {
        return calls.stream().filter(c -> c.startsWith("disconnected")).count();
    }

    /** The tickets each back-fill read, one set per reconnect. */
    public List<Set<Long>> backfills() {
        return List.copyOf(backfills);
    }

    /** Why back-fills failed, if any did. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Live events of every kind taken. */
    public long events() {
        return events.get();
    }

    /** {@code deal.added} events of a ticket already delivered live: a gateway must not send a deal twice. */
    public long repeatedDealAdds() {
        return repeatedDealAdds.get();
    }
}

package io.mt5crmhub.component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.mt5crmhub.event.ChangeType;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventType;

/**
 * What one MT5 server's connection has seen since the hub started: live events received by type, when the last one
 * arrived, and how often it reconnected. Written by the gateway's delivery thread, read by metric scrapes and the
 * status page without locks.
 */
public final class ServerActivity {

    private static final int CHANGES = ChangeType.values().length;

    private final LongAdder[] received = new LongAdder[EntityType.values().length * CHANGES];
    private final LongAdder reconnects = new LongAdder();
    private volatile long lastEventAtNanos;
    private volatile boolean connectedBefore;

    ServerActivity() {
        for (int i = 0; i < received.length; i++) {
            received[i] = new LongAdder();
        }
    }

    void received(EventType type, long atEpochNanos) {
        received[index(type)].increment();
        lastEventAtNanos = atEpochNanos;
    }

    void connected() {
        if (connectedBefore) {
            reconnects.increment();
        }
        connectedBefore = true;
    }

    /** Every event type, for a metric per type. */
    public static List<EventType> types() {
        List<EventType> types = new ArrayList<>();
        for (EntityType entity : EntityType.values()) {
            for (ChangeType change : ChangeType.values()) {
                types.add(new EventType(entity, change));
            }
        }
        return types;
    }

    /** Live events of {@code type} received. */
    public long received(EventType type) {
        return received[index(type)].sum();
    }

    /** Live events received, every type. */
    public long receivedTotal() {
        long total = 0;
        for (LongAdder adder : received) {
            total += adder.sum();
        }
        return total;
    }

    /** When the last live event arrived (epoch nanoseconds), 0 before the first. */
    public long lastEventAtNanos() {
        return lastEventAtNanos;
    }

    /** Connections after the first. */
    public long reconnects() {
        return reconnects.sum();
    }

    private static int index(EventType type) {
        return type.entity().ordinal() * CHANGES + type.change().ordinal();
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the sink callbacks leave what MT5 pushed, for the gateway's pump thread. MT5's network thread may never
 * block, so a full inbox does not wait: it drops. Once one record is dropped every later record is dropped too until
 * the pump {@link #reopen() reopens} it, so what the pump delivers is a gap-free prefix of the stream and the
 * checkpoint never passes the first lost record; the pump then recovers the rest through snapshots and a deal
 * back-fill from the checkpoint. Signals (the connection coming and going, a wake-up) are not records: they are
 * never dropped, so the order of connection changes and records is kept. Memory is bounded by {@code capacity}
 * records. Thread-safe: many producers (the library's threads), one consumer (the pump).
 */
final class Inbox {

    /** What the pump hears besides records. */
    enum Signal { CONNECTED, DISCONNECTED, WAKE }

    private final int capacity;
    private final BlockingDeque<Object> queue = new LinkedBlockingDeque<>();
    private final AtomicInteger records = new AtomicInteger();
    private final AtomicInteger highWater = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean overflowed;

    Inbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /** From a sink callback: queues the record, or drops it (never waits). */
    void offer(Object record) {
        if (overflowed) {
            dropped.incrementAndGet();
            return;
        }
        int size = records.incrementAndGet();
        if (size > capacity) {
            records.decrementAndGet();
            overflowed = true;
            dropped.incrementAndGet();
            return;
        }
        highWater.accumulateAndGet(size, Math::max);
        queue.offer(record);
    }

    void signal(Signal signal) {
        queue.offer(signal);
    }

    /** The next record or signal, or null after {@code millis} without one. */
    Object poll(long millis) throws InterruptedException {
        Object item = queue.poll(millis, TimeUnit.MILLISECONDS);
        if (item != null && !(item instanceof Signal)) {
            records.decrementAndGet();
        }
        return item;
    }

    /** True once a record was dropped, until {@link #reopen()}. */
    boolean overflowed() {
        return overflowed;
    }

    /** Drops records again and forgets the queued ones; the caller recovers them all later. */
    void refuse() throws InterruptedException {
        overflowed = true;
        List<Object> signals = new ArrayList<>();
        Object item;
        while ((item = poll(0)) != null) {
            if (item instanceof Signal) {
                signals.add(item);
            }
        }
        for (int i = signals.size() - 1; i >= 0; i--) {
            queue.offerFirst(signals.get(i)); // ahead of any signal that came meanwhile, as they were
        }
    }

    /** Takes records again; the caller recovers what was dropped. */
    void reopen() {
        overflowed = false;
    }

    /** Forgets everything queued (a new connection back-fills it); counters stay. */
    void clear() throws InterruptedException {
        while (poll(0) != null) {
            // drained one by one, so the count stays right while a callback adds
        }
        overflowed = false;
    }

    int capacity() {
        return capacity;
    }

    /** Records queued now. */
    int size() {
        return records.get();
    }

    /** The most records ever queued at once. */
    int highWater() {
        return highWater.get();
    }

    /** Records dropped because the inbox was full, since the gateway was made. */
    long dropped() {
        return dropped.get();
    }
}

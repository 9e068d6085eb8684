package io.mt5crmhub.bench;

import java.util.Arrays;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.rabbitmq.EventMessages;
import io.mt5crmhub.rabbitmq.RoutingKeys;

/**
 * The yardstick: a plain amqp-client publisher sending the hub's messages (same bodies, properties and routing
 * keys) with a window of publisher confirms in flight, as RabbitMQ's documentation recommends.
 */
final class ReferencePublisher {

    private static final int WINDOW = 1000;

    private ReferencePublisher() {
    }

    /** @return messages per second after the first {@code warmUp}, counted until the last confirm arrived */
    static double publish(Connection connection, String exchange, List<Mt5Event> events, int warmUp)
            throws Exception {
        List<byte[]> bodies = events.stream().map(EventJson::writeBytes).toList();
        Channel channel = connection.createChannel();
        channel.confirmSelect();
        Semaphore window = new Semaphore(WINDOW);
        NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();
        channel.addConfirmListener((seq, multiple) -> release(outstanding, window, seq, multiple),
                (seq, multiple) -> {
                    throw new IllegalStateException("the broker nacked message " + seq);
                });
        long start = System.nanoTime();
        for (int i = 0; i < events.size(); i++) {
            Mt5Event event = events.get(i);
            window.acquire();
            if (i == warmUp) {
                start = System.nanoTime();
            }
            outstanding.add(channel.getNextPublishSeqNo());
            channel.basicPublish(exchange, RoutingKeys.of(event), true, EventMessages.properties(event), bodies.get(i));
        }
        if (!window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(outstanding.size() + " confirms still missing after 60 s");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        channel.close();
        return (events.size() - warmUp) / seconds;
    }

    /**
     * The broker's own latency at a fixed rate: the same messages published at {@code rate} per second (each at its
     * time on a fixed schedule, not after the previous confirm), from each publish to its confirm. What a hub's
     * RabbitMQ sink cannot beat on this broker: its figures are measured the same way plus the hub's own work.
     *
     * @return the latencies in nanoseconds, sorted
     */
    static long[] confirmLatencies(Connection connection, String exchange, List<Mt5Event> events, int rate)
            throws Exception {
        List<byte[]> bodies = events.stream().map(EventJson::writeBytes).toList();
        Channel channel = connection.createChannel();
        channel.confirmSelect();
        ConcurrentNavigableMap<Long, Long> publishedAt = new ConcurrentSkipListMap<>();
        long[] latencies = new long[events.size()];
        int[] confirmed = new int[1];
        channel.addConfirmListener((seq, multiple) -> {
            long now = System.nanoTime();
            ConcurrentNavigableMap<Long, Long> done = multiple ? publishedAt.headMap(seq, true)
                    : publishedAt.subMap(seq, true, seq, true);
            synchronized (latencies) {
                for (long at : done.values()) {
                    latencies[confirmed[0]++] = now - at;
                }
            }
            done.clear();
        }, (seq, multiple) -> {
            throw new IllegalStateException("the broker nacked message " + seq);
        });
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < events.size(); i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Mt5Event event = events.get(i);
            publishedAt.put(channel.getNextPublishSeqNo(), System.nanoTime());
            channel.basicPublish(exchange, RoutingKeys.of(event), true, EventMessages.properties(event), bodies.get(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!publishedAt.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        channel.close();
        synchronized (latencies) {
            if (confirmed[0] < latencies.length) {
                throw new IllegalStateException((latencies.length - confirmed[0]) + " confirms still missing after 60 s");
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted;
        }
    }

    private static void release(NavigableSet<Long> outstanding, Semaphore window, long seq, boolean multiple) {
        if (multiple) {
            NavigableSet<Long> confirmed = outstanding.headSet(seq, true);
            int n = confirmed.size();
            confirmed.clear();
            window.release(n);
        } else if (outstanding.remove(seq)) {
            window.release();
        }
    }
}

package io.mt5crmhub.bench;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.Mt5Event;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.RoutePolicySupport;

/**
 * The benchmark's view of the hub's sinks from inside its CamelContext, bound in the registry by the benchmark only
 * (camel-main adds the {@link EventNotifier} and the {@link RoutePolicyFactory} it finds there). When an exchange
 * enters a sink route, a route policy notes how many events it carries and its {@link Mt5Constants#RECEIVED_AT};
 * when Camel reports the exchange done ({@link ExchangeCompletedEvent}, fired once the exchange's unit of work is
 * done: the CRM store's rows and idempotency keys are committed, RabbitMQ's publisher confirms have arrived), the
 * notifier counts its events and, inside the latency window, records how long they took. Only the exchange the
 * policy saw counts: a connector's kamelet route runs on a copy of it (its own id, the same properties) whose
 * completion is reported too.
 * <p>
 * What is counted is events applied: the events of exchanges that completed with no failure (none dead-lettered)
 * and that the idempotent consumer did not drop as duplicates (the first connect's back-fill repeats the events
 * the simulator's world was created with; RabbitMQ's idempotency gate drops those inside its list, so they count
 * there, before any timing starts). Not Camel's route exchange counters (ManagedRouteMBean, Micrometer):
 * they count exchanges, and a batch of events is one exchange. Not the rows of crm_deal, crm_position and
 * crm_account: an update of a position or an account changes a row and adds none.
 */
final class SinkProbe {

    /**
     * A sink of the hub: its routes that read the mt5: streams, {@code <prefix>deals}, {@code <prefix>positions} and
     * {@code <prefix>accounts} (not its replay route, nor its connector's kamelet route such as rabbitmq-sink).
     */
    enum Sink {
        CRM_STORE("CRM store", "crm-store-"),
        RABBITMQ("RabbitMQ", "rabbitmq-"),
        REDIS("Redis Streams", "redis-"),
        KAFKA("Kafka", "kafka-");

        final String label;
        final String prefix;

        Sink(String label, String prefix) {
            this.label = label;
            this.prefix = prefix;
        }

        private static final List<String> STREAMS = List.of("deals", "positions", "accounts");

        static Sink of(String routeId) {
            for (Sink sink : values()) {
                if (routeId != null && routeId.startsWith(sink.prefix)
                        && STREAMS.contains(routeId.substring(sink.prefix.length()))) {
                    return sink;
                }
            }
            return null;
        }
    }

    /**
     * What the policy noted when the exchange {@code exchangeId} entered its sink route; {@code beganAt}: when the sink route began the exchange (epoch ns), after the wait in the consumer's queue. */
    private record Arrival(String exchangeId, Sink sink, boolean deals, long receivedAt, long beganAt, int events,
                           Instant occurredAt) {
    }

    private static final String ARRIVAL = "mt5BenchArrival";

    private final Map<Sink, Tally> tallies = new EnumMap<>(Sink.class);
    private volatile long windowFrom = Long.MAX_VALUE;
    private volatile long windowTo = Long.MAX_VALUE;

    SinkProbe() {
        for (Sink sink : Sink.values()) {
            tallies.put(sink, new Tally());
        }
    }

    /** To bind in the hub's registry before it starts. */
    EventNotifier notifier() {
        EventNotifierSupport notifier = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                onDone((ExchangeEvent) event);
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof ExchangeCompletedEvent || event instanceof ExchangeFailedEvent;
            }
        };
        notifier.setIgnoreCamelContextEvents(true);
        notifier.setIgnoreCamelContextInitEvents(true);
        notifier.setIgnoreRouteEvents(true);
        notifier.setIgnoreServiceEvents(true);
        notifier.setIgnoreExchangeCreatedEvent(true);
        notifier.setIgnoreExchangeRedeliveryEvents(true);
        notifier.setIgnoreExchangeSendingEvents(true);
        notifier.setIgnoreExchangeSentEvents(true);
        notifier.setIgnoreStepEvents(true);
        notifier.setIgnoreExchangeAsyncProcessingStartedEvents(true);
        return notifier;
    }

    /** To bind in the hub's registry before it starts: a policy on the sink routes only. */
    RoutePolicyFactory policyFactory() {
        return (context, routeId, route) -> {
            Sink sink = Sink.of(routeId);
            boolean deals = routeId.endsWith("-deals");
            return sink == null ? null : new RoutePolicySupport() {
                @Override
                public void onExchangeBegin(Route r, Exchange exchange) {
                    noteArrival(sink, deals, exchange);
                }
            };
        };
    }

    private static void noteArrival(Sink sink, boolean deals, Exchange exchange) {
        Long receivedAt = exchange.getMessage().getHeader(Mt5Constants.RECEIVED_AT, Long.class);
        Object body = exchange.getMessage().getBody();
        if (receivedAt == null) {
            return;
        }
        String id = exchange.getExchangeId();
        long began = epochNanos();
        if (body instanceof Mt5Event event) {
            exchange.setProperty(ARRIVAL, new Arrival(id, sink, deals, receivedAt, began, 1, event.occurredAt()));
        } else if (body instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Mt5Event first) {
            exchange.setProperty(ARRIVAL, new Arrival(id, sink, deals, receivedAt, began, list.size(),
                    first.occurredAt()));
        }
    }

    private void onDone(ExchangeEvent event) {
        Exchange exchange = event.getExchange();
        Arrival arrival = exchange.getProperty(ARRIVAL, Arrival.class);
        if (arrival == null || !arrival.exchangeId().equals(exchange.getExchangeId())) {
            // a copy: the connector's kamelet route runs on a copy of the exchange, properties included
            return;
        }
        long doneAt = epochNanos();
        Tally tally = tallies.get(arrival.sink());
        if (event instanceof ExchangeFailedEvent || exchange.isFailed()
                || exchange.getProperty(Exchange.EXCEPTION_CAUGHT) != null) {
            tally.failed.add(arrival.events());
        } else if (exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)) {
            tally.duplicates.add(arrival.events());
        } else {
            tally.applied.add(arrival.events());
            if (arrival.deals()) {
                tally.appliedDeals.add(arrival.events());
            }
            tally.latestReceivedAt.accumulateAndGet(arrival.receivedAt(), Math::max);
            if (arrival.receivedAt() >= windowFrom && arrival.receivedAt() < windowTo) {
                tally.record(arrival, doneAt);
            }
        }
    }

    /** The wall clock in nanoseconds since the epoch, as {@link Mt5Constants#RECEIVED_AT} is stamped. */
    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Events the sink has applied so far. */
    long applied(Sink sink) {
        return tallies.get(sink).applied.sum();
    }

    /** Deal events the sink has applied so far (its -deals route). */
    long appliedDeals(Sink sink) {
        return tallies.get(sink).appliedDeals.sum();
    }

    long failed(Sink sink) {
        return tallies.get(sink).failed.sum();
    }

    long duplicates(Sink sink) {
        return tallies.get(sink).duplicates.sum();
    }

    /** From now on, records the latency of every event handed to the hub at or after {@code from} (epoch ns). */
    void openWindow(long from) {
        windowFrom = from;
    }

    /** Events handed to the hub from {@code to} on are not recorded. */
    void closeWindow(long to) {
        windowTo = to;
    }

    /** The latest hand-over time (epoch ns) of the events {@code sink} has applied, recorded or not. */
    long latestReceivedAt(Sink sink) {
        return tallies.get(sink).latestReceivedAt.get();
    }

    /** How many latencies have been recorded for {@code sink}. */
    int recorded(Sink sink) {
        return tallies.get(sink).size();
    }

    /** The latencies recorded for {@code sink} so far. */
    Latencies latencies(Sink sink) {
        return tallies.get(sink).snapshot();
    }

    /**
     * Latencies from hand-over to done, in nanoseconds, sorted; with the earliest and the latest hand-over recorded
     * and the MT5 times (occurredAt) of those events.
     */
    record Latencies(long[] sorted, long[] waits, long firstReceivedAt, Instant firstOccurredAt, long lastReceivedAt,
                     Instant lastOccurredAt) {

        /** Latencies alone (no breakdown, no clock). */
        Latencies(long[] sorted) {
            this(sorted, new long[0], 0, null, 0, null);
        }

        /** The wait in the consumer's queue (hand-over to the route's begin), nearest-rank quantile, nanoseconds. */
        long waitQuantile(double q) {
            return quantile(waits, q);
        }

        int count() {
            return sorted.length;
        }

        /** The nearest-rank quantile {@code q} (0 < q <= 1), in nanoseconds. */
        long quantile(double q) {
            return quantile(sorted, q);
        }

        private static long quantile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
        }

        long max() {
            return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
        }
    }

    private static final class Tally {
        final LongAdder applied = new LongAdder();
        final LongAdder appliedDeals = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final AtomicLong latestReceivedAt = new AtomicLong();
        private long[] latencies = new long[1 << 16];
        private long[] waits = new long[1 << 16];
        private int size;
        private Arrival first;
        private Arrival last;

        synchronized void record(Arrival arrival, long doneAt) {
            long latency = doneAt - arrival.receivedAt();
            long wait = arrival.beganAt() - arrival.receivedAt();
            // every event of a batch counts from the batch's receive time: its earliest event's hand-over
            for (int i = 0; i < arrival.events(); i++) {
                if (size == latencies.length) {
                    latencies = Arrays.copyOf(latencies, size * 2);
                    waits = Arrays.copyOf(waits, size * 2);
                }
                waits[size] = wait;
                latencies[size++] = latency;
            }
            if (first == null || arrival.receivedAt() < first.receivedAt()) {
                first = arrival;
            }
            if (last == null || arrival.receivedAt() > last.receivedAt()) {
                last = arrival;
            }
        }

        synchronized int size() {
            return size;
        }

        synchronized Latencies snapshot() {
            long[] sorted = Arrays.copyOf(latencies, size);
            Arrays.sort(sorted);
            long[] sortedWaits = Arrays.copyOf(waits, size);
            Arrays.sort(sortedWaits);
            return first == null ? new Latencies(sorted)
                    : new Latencies(sorted, sortedWaits, first.receivedAt(), first.occurredAt(), last.receivedAt(),
                            last.occurredAt());
        }
    }
}

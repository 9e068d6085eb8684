package io.mt5crmhub.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one feed's events, live or back-filled, at most {@code maxInflight} exchanges at a time, each with one
 * event or, with {@code batchSize} above 1, a list of the events waiting. It keeps the books when an exchange
 * completes: the deal checkpoint ({@link CheckpointTracker}), the pending count ({@link Subscription}) and the
 * redelivery of what failed.
 */
final class ExchangeDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeDispatcher.class);
    static final long POLL_MS = 100;

    private final Mt5Consumer consumer;
    private final Mt5Endpoint endpoint;
    private final String serverId;
    private final Subscription subscription;
    private final CheckpointTracker tracker;
    private final RedeliverySchedule redelivery;
    private final int maxInflight;
    private final int batchSize;
    private final Semaphore inflightPermits;
    private final AtomicInteger backfillInFlight = new AtomicInteger();
    private final SinkOutcomes outcomes = new SinkOutcomes();

    ExchangeDispatcher(Mt5Consumer consumer, Mt5Endpoint endpoint, String serverId, Subscription subscription,
                       CheckpointTracker tracker, RedeliverySchedule redelivery) {
        this.consumer = consumer;
        this.endpoint = endpoint;
        this.serverId = serverId;
        this.subscription = subscription;
        this.tracker = tracker;
        this.redelivery = redelivery;
        this.maxInflight = endpoint.getMaxInflight();
        this.batchSize = endpoint.getBatchSize();
        this.inflightPermits = new Semaphore(maxInflight);
    }

    int batchSize() {
        return batchSize;
    }

    /** What the sink did with the events routed so far. */
    SinkOutcomes outcomes() {
        return outcomes;
    }

    /** Back-filled events routed and not yet completed. */
    int backfillInFlight() {
        return backfillInFlight.get();
    }

    /**
     * Routes the live events waiting, if any arrive within a poll interval.
     *
     * @return false when no in-flight permit came free within the poll interval
     */
    boolean dispatchLive() throws InterruptedException {
        // the permit first, then the event: a feed whose sink holds every permit (a broker that is away)
        // still sees a stop, and takes nothing it could not route
        if (!inflightPermits.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
            return false;
        }
        Subscription.Received first = subscription.poll(POLL_MS);
        if (first == null) {
            inflightPermits.release();
        } else if (batchSize == 1) {
            dispatch(List.of(first.event()), false, first.receivedAt());
        } else {
            // the queue is in arrival order: the first event taken is the batch's earliest, and its receive time
            // is the batch's (every event of the batch is then counted from the earliest hand-over: the worst case)
            List<Mt5Event> batch = new ArrayList<>();
            batch.add(first.event());
            subscription.drainTo(batch, batchSize - 1);
            dispatch(batch, false, first.receivedAt());
        }
        return true;
    }

    /** Waits for an in-flight permit while running; false once stopping. */
    boolean acquirePermit(BooleanSupplier running) throws InterruptedException {
        while (running.getAsBoolean()) {
            if (inflightPermits.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Routes one exchange for back-filled {@code events} (one, or up to batchSize), received now; the caller holds an
     * in-flight permit for it.
     */
    void dispatch(List<Mt5Event> events, boolean backfill) {
        dispatch(events, backfill, Mt5Connection.epochNanos());
    }

    /**
     * Routes one exchange for {@code events} (one, or up to batchSize) whose earliest was handed to the hub at
     * {@code receivedAt} (epoch nanoseconds); the caller holds an in-flight permit for it.
     */
    private void dispatch(List<Mt5Event> events, boolean backfill, long receivedAt) {
        long[] seqs = null;
        if (subscription.entity() == EntityType.DEAL) {
            seqs = new long[events.size()];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = tracker.dispatched(events.get(i).occurredAt());
            }
        }
        if (backfill) {
            backfillInFlight.addAndGet(events.size());
        }
        Exchange exchange = endpoint.createExchange(consumer, serverId, events, backfill, receivedAt);
        // a failed back-fill list is read again from MT5 at the next start, and so must be all that came after it
        Runnable keepForNextStart = backfill ? subscription::rereadAllAtNextStart
                : () -> subscription.keepForNextStart(events, receivedAt);
        route(exchange, seqs, events.size(), backfill, keepForNextStart);
    }

    private void route(Exchange exchange, long[] seqs, int events, boolean backfill, Runnable keepForNextStart) {
        try {
            consumer.getAsyncProcessor().process(exchange,
                    doneSync -> done(exchange, seqs, events, backfill, keepForNextStart));
        } catch (RuntimeException e) {
            exchange.setException(e);
            done(exchange, seqs, events, backfill, keepForNextStart);
        }
    }

    /**
     * A failed exchange holds the checkpoint at each of its deals, also for a batch that partly succeeded: the
     * next back-fill reads them again and the idempotency keys drop what was already delivered. An exchange whose
     * error policy dead-lettered events completes without an exception: it moves the checkpoint (the dead letter
     * keeps those events), but they count as dead-lettered, not delivered.
     */
    private void done(Exchange exchange, long[] seqs, int events, boolean backfill, Runnable keepForNextStart) {
        boolean failed = exchange.getException() != null;
        try {
            if (failed && subscription.isSuspended()) {
                // stopping, and the sink fails: keep this exchange's events and the queue for the next start rather
                // than fail them all one by one
                keepForNextStart.run();
            }
            if (failed) {
                if (seqs != null) {
                    for (long seq : seqs) {
                        tracker.failed(seq);
                    }
                }
                outcomes.failed(events);
                redelivery.afterFailure();
                Object id = events == 1 ? exchange.getMessage().getHeader(Mt5Constants.EVENT_ID) : null;
                consumer.getExceptionHandler().handleException(id != null ? "Error routing MT5 event " + id
                        : "Error routing a batch of " + events + " MT5 events", exchange, exchange.getException());
            } else {
                outcomes.completed(events, DeadLetteredEvents.count(exchange));
                redelivery.afterSuccess();
                if (seqs != null) {
                    for (long seq : seqs) {
                        tracker.completed(seq);
                    }
                }
            }
        } finally {
            consumer.releaseExchange(exchange, false);
            inflightPermits.release();
            if (backfill) {
                backfillInFlight.addAndGet(-events);
            } else {
                subscription.completed(events, !failed);
            }
        }
    }

    /** At stop: waits up to {@code wait} for the exchanges in flight to complete. */
    void awaitInflight(Duration wait) {
        try {
            if (inflightPermits.tryAcquire(maxInflight, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                inflightPermits.release(maxInflight);
            } else {
                LOG.warn("{} exchanges of mt5:{} (server {}) were still in flight at stop", tracker.inFlight(),
                        endpoint.streamKind().uriName(), serverId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

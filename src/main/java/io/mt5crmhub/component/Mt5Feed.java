package io.mt5crmhub.component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one consumer from one server: its own thread takes events from the subscription's queue and routes
 * them, at most {@code maxInflight} exchanges at a time, each with one event or, with {@code batchSize} above 1,
 * a list of the events waiting. After every (re)connect it first back-fills: deals from the
 * stored checkpoint (minus an overlap), accounts and positions from a fresh snapshot. For deal streams it
 * stores the checkpoint every {@code checkpointInterval} and once more when it stops.
 */
final class Mt5Feed implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Mt5Feed.class);
    private static final long POLL_MS = 100;
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    private static final Duration MIN_REDELIVERY_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_REDELIVERY_DELAY = Duration.ofSeconds(60);
    /** MT5 servers keep server-local time, often hours ahead of UTC; ask for history well past "now". */
    private static final Duration HISTORY_HORIZON = Duration.ofDays(1);

    private final Mt5Consumer consumer;
    private final Mt5Connection connection;
    private final Subscription subscription;
    private final StateRepository<String, String> checkpoints;
    private final String checkpointKey;
    private final Semaphore inflightPermits;
    private final int maxInflight;
    private final int batchSize;
    private final CheckpointTracker tracker = new CheckpointTracker();

    private volatile boolean running = true;
    private volatile boolean backfilling;
    private final java.util.concurrent.atomic.AtomicInteger backfillInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Throwable failure;
    private volatile Thread thread;
    private Instant storedCheckpoint;
    private long lastCheckpointWrite;
    private Duration retryDelay = Duration.ofSeconds(1);
    /** When a failed exchange's events are read again from MT5 (0: nothing failed since the last back-fill). */
    private volatile long redeliverFailedAt;
    private long lastBackfillAt = System.currentTimeMillis();
    private volatile Duration redeliveryDelay = MIN_REDELIVERY_DELAY;

    Mt5Feed(Mt5Consumer consumer, Mt5Connection connection, Subscription subscription,
            StateRepository<String, String> checkpoints, String checkpointKey) {
        this.consumer = consumer;
        this.connection = connection;
        this.subscription = subscription;
        this.checkpoints = checkpoints;
        this.checkpointKey = checkpointKey;
        this.maxInflight = consumer.getEndpoint().getMaxInflight();
        this.batchSize = consumer.getEndpoint().getBatchSize();
        this.inflightPermits = new Semaphore(maxInflight);
    }

    String serverId() {
        return connection.serverId();
    }

    Mt5Connection connection() {
        return connection;
    }

    Throwable failure() {
        return failure;
    }

    boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Events received and not yet routed to completion, a running back-fill counting as one. */
    int pending() {
        return subscription.pending() + (backfilling ? 1 : 0) + backfillInFlight.get();
    }

    void start(Thread t) {
        String stored = checkpoints.getState(checkpointKey);
        storedCheckpoint = stored == null ? null : Instant.ofEpochMilli(Long.parseLong(stored));
        thread = t;
        t.start();
    }

    /** Stops after the event being routed; waits for in-flight exchanges, then stores the checkpoint. */
    void stop(Duration wait) {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        awaitInflight(wait);
        storeCheckpoint(true);
    }

    @Override
    public void run() {
        try {
            while (running) {
                requestBackfillOfFailures();
                requestGapSweep();
                if (subscription.takeBackfillRequest() && !backfill()) {
                    subscription.requestBackfill();
                    pauseBeforeRetry();
                    continue;
                }
                // the permit first, then the event: a feed whose sink holds every permit (a broker that is away)
                // still sees a stop, and takes nothing it could not route
                if (!inflightPermits.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                Mt5Event event = subscription.poll(POLL_MS);
                if (event == null) {
                    inflightPermits.release();
                } else if (batchSize == 1) {
                    dispatch(event, false);
                } else if (event != null) {
                    List<Mt5Event> batch = new ArrayList<>();
                    batch.add(event);
                    subscription.drainTo(batch, batchSize - 1);
                    dispatch(batch, false);
                }
                storeCheckpoint(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("The mt5:{} feed of server {} stopped: {}", consumer.getEndpoint().streamKind().uriName(),
                    serverId(), e.toString(), e);
        }
    }

    private boolean backfill() throws InterruptedException {
        lastBackfillAt = System.currentTimeMillis();
        backfilling = true;
        try {
            return doBackfill();
        } finally {
            backfilling = false;
        }
    }

    private boolean doBackfill() throws InterruptedException {
        EntityType entity = subscription.entity();
        List<Mt5Event> events;
        try {
            events = switch (entity) {
                case DEAL -> connection.source().dealHistory(backfillFrom(), Instant.now().plus(HISTORY_HORIZON));
                case ACCOUNT -> connection.source().accounts();
                case POSITION -> connection.source().openPositions();
                case ORDER -> List.of();
            };
        } catch (GatewayException e) {
            LOG.warn("Back-fill of {} from MT5 server {} failed, retrying in {} s: {}", entity.wireName(), serverId(),
                    retryDelay.toSeconds(), e.getMessage());
            return false;
        }
        // what failed before is in what was just read (the checkpoint never passes a failed deal)
        tracker.clearFailures();
        int delivered = 0;
        List<Mt5Event> batch = new ArrayList<>();
        for (Mt5Event event : events) {
            if (!running) {
                break;
            }
            if (!subscription.accepts(event)) {
                continue;
            }
            if (batchSize == 1) {
                if (!acquirePermit()) {
                    break;
                }
                backfillInFlight.incrementAndGet();
                delivered++;
                dispatch(event, true);
                continue;
            }
            batch.add(event);
            if (batch.size() == batchSize) {
                if (!acquirePermit()) {
                    batch.clear();
                    break;
                }
                backfillInFlight.addAndGet(batch.size());
                delivered += batch.size();
                dispatch(batch, true);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty() && acquirePermit()) {
            backfillInFlight.addAndGet(batch.size());
            delivered += batch.size();
            dispatch(batch, true);
        }
        retryDelay = Duration.ofSeconds(1);
        LOG.info("Back-filled {} {} events from MT5 server {}", delivered, entity.wireName(), serverId());
        return true;
    }

    private Instant backfillFrom() {
        Mt5Endpoint endpoint = consumer.getEndpoint();
        if (storedCheckpoint == null) {
            return Instant.now().minus(endpoint.getInitialBackfill());
        }
        return storedCheckpoint.minus(endpoint.getBackfillOverlap());
    }

    /** Routes one event; the caller holds an in-flight permit for it. */
    private void dispatch(Mt5Event event, boolean backfill) {
        boolean deal = event.entity() == EntityType.DEAL;
        long[] seqs = deal ? new long[] {tracker.dispatched(event.occurredAt())} : null;
        Exchange exchange = consumer.createExchange(false);
        Message message = exchange.getMessage();
        message.setBody(event);
        message.setHeader(Mt5Constants.EVENT_ID, event.eventId());
        message.setHeader(Mt5Constants.EVENT_TYPE, event.type().toString());
        message.setHeader(Mt5Constants.SERVER, event.server());
        message.setHeader(Mt5Constants.LOGIN, event.login());
        if (event.group() != null) {
            message.setHeader(Mt5Constants.GROUP, event.group());
        }
        if (deal) {
            message.setHeader(Mt5Constants.DEAL_ACTION, event.deal().action().name());
        }
        message.setHeader(Mt5Constants.BACKFILL, backfill);
        route(exchange, seqs, 1, backfill);
    }

    /** One exchange for a list of events (batchSize above 1); the caller holds an in-flight permit for it. */
    private void dispatch(List<Mt5Event> batch, boolean backfill) {
        long[] seqs = null;
        if (subscription.entity() == EntityType.DEAL) {
            seqs = new long[batch.size()];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = tracker.dispatched(batch.get(i).occurredAt());
            }
        }
        Exchange exchange = consumer.createExchange(false);
        Message message = exchange.getMessage();
        message.setBody(batch);
        message.setHeader(Mt5Constants.SERVER, serverId());
        message.setHeader(Mt5Constants.BATCH_SIZE, batch.size());
        message.setHeader(Mt5Constants.BACKFILL, backfill);
        route(exchange, seqs, batch.size(), backfill);
    }

    private void route(Exchange exchange, long[] seqs, int events, boolean backfill) {
        try {
            consumer.getAsyncProcessor().process(exchange, doneSync -> done(exchange, seqs, events, backfill));
        } catch (RuntimeException e) {
            exchange.setException(e);
            done(exchange, seqs, events, backfill);
        }
    }

    /**
     * A failed exchange holds the checkpoint at each of its deals, also for a batch that partly succeeded: the
     * next back-fill reads them again and the idempotency keys drop what was already delivered.
     */
    private void done(Exchange exchange, long[] seqs, int events, boolean backfill) {
        try {
            if (exchange.getException() != null) {
                if (seqs != null) {
                    for (long seq : seqs) {
                        tracker.failed(seq);
                    }
                }
                scheduleRedelivery();
                Object id = events == 1 ? exchange.getMessage().getHeader(Mt5Constants.EVENT_ID) : null;
                consumer.getExceptionHandler().handleException(id != null ? "Error routing MT5 event " + id
                        : "Error routing a batch of " + events + " MT5 events", exchange, exchange.getException());
            } else {
                if (redeliveryDelay != MIN_REDELIVERY_DELAY) {
                    redeliveryDelay = MIN_REDELIVERY_DELAY; // a volatile write only after failures, not per exchange
                }
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
                subscription.completed(events);
            }
        }
    }

    /**
     * A failed exchange (its error handler gave up, or even its dead letter could not be written) is not lost: its
     * events are read again from MT5 by a back-fill, after a delay that doubles while back-filled events keep
     * failing. The idempotency keys drop what the back-fill repeats.
     */
    private synchronized void scheduleRedelivery() {
        if (redeliverFailedAt == 0 && running) {
            redeliverFailedAt = System.currentTimeMillis() + redeliveryDelay.toMillis();
            LOG.warn("mt5:{} of server {}: failed events are read again from MT5 in {} s",
                    consumer.getEndpoint().streamKind().uriName(), serverId(), redeliveryDelay.toSeconds());
            redeliveryDelay = doubled(redeliveryDelay, MAX_REDELIVERY_DELAY);
        }
    }

    private void requestBackfillOfFailures() {
        if (redeliverFailedAt == 0) {
            return; // the usual case, checked on every turn of the feed loop without taking the lock
        }
        synchronized (this) {
            if (redeliverFailedAt != 0 && System.currentTimeMillis() >= redeliverFailedAt) {
                redeliverFailedAt = 0;
                subscription.requestBackfill();
            }
        }
    }

    /** Deals: a back-fill every gapSweepInterval finds what the live stream missed, without waiting for a reconnect. */
    private void requestGapSweep() {
        Duration interval = consumer.getEndpoint().getGapSweepInterval();
        if (subscription.entity() == EntityType.DEAL && !interval.isZero()
                && System.currentTimeMillis() - lastBackfillAt >= interval.toMillis()) {
            subscription.requestBackfill(); // taken at once below, and backfill() restarts the interval
        }
    }

    private void storeCheckpoint(boolean force) {
        if (subscription.entity() != EntityType.DEAL) {
            return;
        }
        long now = System.currentTimeMillis();
        if (!force && now - lastCheckpointWrite < consumer.getEndpoint().getCheckpointInterval().toMillis()) {
            return;
        }
        lastCheckpointWrite = now;
        Instant checkpoint = tracker.checkpoint(subscription.queued());
        if (checkpoint == null || checkpoint.equals(storedCheckpoint)) {
            return;
        }
        try {
            checkpoints.setState(checkpointKey, Long.toString(checkpoint.toEpochMilli()));
            storedCheckpoint = checkpoint;
        } catch (RuntimeException e) {
            LOG.warn("Could not store the checkpoint of {}: {}", checkpointKey, e.getMessage());
        }
    }

    /** Waits for an in-flight permit while running; false once stopping. */
    private boolean acquirePermit() throws InterruptedException {
        while (running) {
            if (inflightPermits.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    private void awaitInflight(Duration wait) {
        try {
            if (inflightPermits.tryAcquire(maxInflight, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                inflightPermits.release(maxInflight);
            } else {
                LOG.warn("{} exchanges of mt5:{} (server {}) were still in flight at stop", tracker.inFlight(),
                        consumer.getEndpoint().streamKind().uriName(), serverId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pauseBeforeRetry() throws InterruptedException {
        long until = System.currentTimeMillis() + retryDelay.toMillis();
        while (running && System.currentTimeMillis() < until) {
            Thread.sleep(POLL_MS);
        }
        retryDelay = doubled(retryDelay, MAX_RETRY_DELAY);
    }

    private static Duration doubled(Duration delay, Duration max) {
        Duration next = delay.multipliedBy(2);
        return next.compareTo(max) > 0 ? max : next;
    }
}

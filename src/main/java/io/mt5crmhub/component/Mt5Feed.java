package io.mt5crmhub.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.mt5crmhub.event.EntityType;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one consumer from one server on a thread of its own. Each turn of its loop starts the back-fill that is
 * due ({@link HistorySource}, after a (re)connect, a failure or for the gap sweep), routes the live events
 * waiting ({@link ExchangeDispatcher}) and stores the checkpoint when due ({@link CheckpointStore}). It stops
 * after the exchange being routed, waits for those in flight and stores the checkpoint once more.
 */
final class Mt5Feed implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Mt5Feed.class);

    private final Mt5Endpoint endpoint;
    private final Mt5Connection connection;
    private final Subscription subscription;
    private final CheckpointStore checkpoints;
    private final RedeliverySchedule redelivery;
    private final ExchangeDispatcher dispatcher;
    private final HistorySource history;

    /** A sink that completes nothing for this long while its consumer stops is not waited for. */
    private static final Duration STALLED_AT_STOP = Duration.ofSeconds(2);

    /** {@link Mt5Connection#ownerships()} when the checkpoint was last loaded. */
    private long loadedAtOwnership;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile Thread thread;

    Mt5Feed(Mt5Consumer consumer, Mt5Endpoint endpoint, Mt5Connection connection,
            StateRepository<String, String> checkpointRepository, String checkpointKey) {
        this.endpoint = endpoint;
        this.connection = connection;
        this.subscription = new Subscription(endpoint.streamKind().entity(), endpoint.eventFilter(),
                endpoint.getQueueSize(), overflow(endpoint.getComponent(), checkpointKey));
        CheckpointTracker tracker = new CheckpointTracker();
        this.checkpoints = new CheckpointStore(checkpointRepository, checkpointKey, endpoint.getCheckpointInterval(),
                subscription, tracker);
        this.redelivery = new RedeliverySchedule(subscription, endpoint.streamKind().uriName(), serverId(),
                this::isRunning);
        this.dispatcher = new ExchangeDispatcher(consumer, endpoint, serverId(), subscription, tracker, redelivery);
        // a stopping consumer back-fills nothing: the checkpoint stays before what it would read, for the next start
        this.history = new HistorySource(endpoint, connection, subscription, tracker, checkpoints, dispatcher,
                () -> running && !subscription.isSuspended(), checkpointKey);
    }

    /** The consumer's overflow in a folder named after its checkpoint key, or null when the component keeps none. */
    private static DiskOverflow overflow(Mt5Component component, String checkpointKey) {
        if (component.getOverflowDirectory() == null) {
            return null;
        }
        Path directory = Path.of(component.getOverflowDirectory(), checkpointKey.replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            return new DiskOverflow(directory, component.getOverflowMaxMegabytes() << 20);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the overflow directory " + directory.toAbsolutePath()
                    + " (mt5 component option overflowDirectory)", e);
        }
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

    /** Why the feed thread stopped, or null while it runs. */
    String problem() {
        if (failure != null) {
            return failure.toString();
        }
        return isAlive() ? null : "thread ended";
    }

    boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    private boolean isRunning() {
        return running;
    }

    /**
     * Events held in memory: queued, and routed but not yet completed (live or back-filled). At most the endpoint's
     * queueSize + maxInflight x batchSize.
     */
    int held() {
        return subscription.pending() + dispatcher.backfillInFlight();
    }

    /** What the sink did with the events routed to it: delivered, dead-lettered, failed. */
    SinkOutcomes outcomes() {
        return dispatcher.outcomes();
    }

    /** The most events {@link #held()} can reach: queueSize + maxInflight x batchSize. */
    int bound() {
        return endpoint.getQueueSize() + endpoint.getMaxInflight() * endpoint.getBatchSize();
    }

    /** Deal streams store a checkpoint; accounts and positions are read from a snapshot instead. */
    boolean storesCheckpoints() {
        return endpoint.streamKind().entity() == EntityType.DEAL;
    }

    /** Seconds from the stored deal checkpoint (MT5's time of the deal) to now; NaN before the first. */
    double checkpointAgeSeconds() {
        Instant stored = checkpoints.stored();
        return stored == null ? Double.NaN : Math.max(0, Duration.between(stored, Instant.now()).toMillis() / 1e3);
    }

    /** Events on disk in the overflow, waiting for the sink to catch up. */
    long overflowed() {
        return subscription.overflowed();
    }

    /** Seconds since the oldest event waiting in the queue was handed over by the gateway; 0 when none waits. */
    double lagSeconds() {
        long oldest = subscription.oldestWaitingReceivedAt();
        return oldest == 0 ? 0 : Math.max(0, (Mt5Connection.epochNanos() - oldest) / 1e9);
    }

    /** For a stop: a sink that completed nothing for a while leaves its queue in the overflow for the next start. */
    void overflowQueuedIfStalled() {
        int n = subscription.overflowQueuedIfStalled(STALLED_AT_STOP);
        if (n > 0) {
            LOG.info("mt5:{} of server {}: the sink completed nothing for {} s, {} queued events kept in the overflow"
                    + " for the next start", endpoint.streamKind().uriName(), serverId(), STALLED_AT_STOP.toSeconds(), n);
        }
    }

    /** Events received and not yet routed to completion, a running back-fill counting as one (for a graceful stop). */
    int pending() {
        return subscription.pending() + (subscription.isBackfillRunning() ? 1 : 0) + dispatcher.backfillInFlight();
    }

    /**
     * The server was taken again after another instance owned it (cluster ownership): that instance moved the stored
     * checkpoint on, and the back-fill starts from there.
     */
    private void reloadCheckpointIfTakenAgain() {
        long taken = connection.ownerships();
        if (taken != loadedAtOwnership) {
            loadedAtOwnership = taken;
            checkpoints.load();
        }
    }

    /** Subscribes to the connection, loads the checkpoint and starts the feed's thread {@code t}. */
    void start(Thread t) {
        connection.subscribe(subscription);
        loadedAtOwnership = connection.ownerships();
        checkpoints.load();
        thread = t;
        t.start();
    }

    /** A suspended feed keeps routing what is queued; the gateway pauses once every subscription is suspended. */
    void setSuspended(boolean suspended) {
        subscription.setSuspended(suspended);
        connection.updatePause();
    }

    /** Stops after the event being routed; waits for in-flight exchanges, stores the checkpoint, unsubscribes. */
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
        dispatcher.awaitInflight(wait);
        if (connection.isOwned()) {
            checkpoints.storeNow();
        }
        connection.unsubscribe(subscription);
    }

    @Override
    public void run() {
        try {
            while (running) {
                redelivery.requestBackfillIfDue();
                history.requestGapSweepIfDue();
                if (!subscription.isSuspended() && subscription.takeBackfillRequest()) {
                    reloadCheckpointIfTakenAgain();
                    if (!history.backfill()) {
                        continue; // requested again, after a pause
                    }
                }
                if (!dispatcher.dispatchLive()) {
                    continue; // a sink holds every permit: check for a stop and a due back-fill again
                }
                if (connection.isOwned()) {
                    checkpoints.storeIfDue(); // another instance's checkpoint is not this one's to move
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("The mt5:{} feed of server {} stopped: {}", endpoint.streamKind().uriName(), serverId(),
                    e.toString(), e);
        }
    }
}

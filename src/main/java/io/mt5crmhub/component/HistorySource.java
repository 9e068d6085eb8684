package io.mt5crmhub.component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What MT5 does not stream: after every (re)connect (and after a failure, see {@link RedeliverySchedule}) a
 * back-fill reads deals from the stored checkpoint (minus an overlap), accounts and positions from a fresh
 * snapshot. For deals it also sweeps the history every {@code gapSweepInterval} while connected.
 */
final class HistorySource {

    private static final Logger LOG = LoggerFactory.getLogger(HistorySource.class);
    private static final Duration MIN_RETRY_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    /** MT5 servers keep server-local time, often hours ahead of UTC; ask for history well past "now". */
    private static final Duration HISTORY_HORIZON = Duration.ofDays(1);
    private static final Duration FIRST_WINDOW = Duration.ofMinutes(1);
    private static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(1);
    /** How often one window is read again, an eighth as long each time, after MT5 failed to answer it. */
    private static final int MAX_SHRINKS = 3;
    private static final int MANY_DEALS = 5_000;
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

    private final Mt5Endpoint endpoint;
    private final Mt5Connection connection;
    private final Subscription subscription;
    private final CheckpointTracker tracker;
    private final CheckpointStore checkpoints;
    private final ExchangeDispatcher dispatcher;
    private final BooleanSupplier running;
    /** Names the consumer in the log: its checkpoint key (server, stream and checkpoint id). */
    private final String checkpointKey;
    private final DoublingDelay retryDelay = new DoublingDelay(MIN_RETRY_DELAY, MAX_RETRY_DELAY);
    private long lastBackfillAt = System.currentTimeMillis();

    HistorySource(Mt5Endpoint endpoint, Mt5Connection connection, Subscription subscription, CheckpointTracker tracker,
                  CheckpointStore checkpoints, ExchangeDispatcher dispatcher, BooleanSupplier running,
                  String checkpointKey) {
        this.endpoint = endpoint;
        this.connection = connection;
        this.subscription = subscription;
        this.tracker = tracker;
        this.checkpoints = checkpoints;
        this.dispatcher = dispatcher;
        this.running = running;
        this.checkpointKey = checkpointKey;
    }

    /** Deals: a back-fill every gapSweepInterval finds what the live stream missed, without waiting for a reconnect. */
    void requestGapSweepIfDue() {
        Duration interval = endpoint.getGapSweepInterval();
        if (subscription.entity() == EntityType.DEAL && !interval.isZero()
                && System.currentTimeMillis() - lastBackfillAt >= interval.toMillis()) {
            subscription.requestBackfill(); // taken at once by the feed, and backfill() restarts the interval
        }
    }

    /**
     * Reads the history and routes it. When MT5 cannot be read, requests the back-fill again and pauses before
     * the retry (1 s, doubling up to 30 s while it keeps failing); returns false then.
     */
    boolean backfill() throws InterruptedException {
        lastBackfillAt = System.currentTimeMillis();
        boolean done = false;
        try {
            done = readAndDispatch();
        } finally {
            if (!done) {
                subscription.requestBackfill(); // before the end, so the checkpoint stays held in between
            }
            subscription.backfillEnded();
        }
        if (!done) {
            pauseBeforeRetry();
        }
        return done;
    }

    private boolean readAndDispatch() throws InterruptedException {
        EntityType entity = subscription.entity();
        long started = System.nanoTime();
        Set<Long> failedBefore = tracker.failures();
        int delivered;
        try {
            delivered = switch (entity) {
                case DEAL -> dealsInWindows();
                case ACCOUNT -> dispatchInBatches(connection.source().accounts());
                case POSITION -> dispatchInBatches(connection.source().openPositions());
                case ORDER -> 0;
            };
        } catch (GatewayException e) {
            LOG.warn("Back-fill of {} from MT5 server {} failed, retrying in {} s: {}", entity.wireName(),
                    connection.serverId(), retryDelay.current().toSeconds(), e.getMessage());
            return false;
        }
        if (entity == EntityType.DEAL) {
            // what failed before is in what was just read (the checkpoint never passes a failed deal)
            tracker.clearFailures(failedBefore);
        }
        retryDelay.reset();
        LOG.info("Back-filled {} {} events from MT5 server {} in {} s ({})", delivered, entity.wireName(),
                connection.serverId(), String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9),
                checkpointKey);
        return true;
    }

    /**
     * Reads the deal history from the checkpoint in time windows, routing each before reading the next, so that
     * a sink that lags far behind neither asks MT5 for its whole lag at once nor holds it in memory. A window starts
     * at a minute; after one that brought more than {@value #MANY_DEALS} deals the next is cut to bring about
     * half that at the same density, and it doubles while it brings fewer than a fifth of that (a quiet day is a dozen reads). A window grown over a quiet stretch may reach into a busy one:
     * when MT5 fails to answer it, it is read again an eighth as long, up to {@value #MAX_SHRINKS} times, before the
     * back-fill counts as failed. Consecutive windows share their boundary: a deal on it comes twice, never not at
     * all. A back-fill longer than {@code PROGRESS_INTERVAL} logs its progress at that interval.
     */
    private int dealsInWindows() throws GatewayException, InterruptedException {
        Instant from = backfillFrom();
        Instant now = Instant.now();
        BackfillProgress progress = new BackfillProgress(from, now, PROGRESS_INTERVAL, System::nanoTime);
        Duration window = FIRST_WINDOW;
        int delivered = 0;
        int shrunk = 0;
        while (from.isBefore(now) && running.getAsBoolean()) {
            Instant to = from.plus(window).isBefore(now) ? from.plus(window) : now;
            List<Mt5Event> deals;
            try {
                deals = connection.source().dealHistory(from, to);
            } catch (GatewayException e) {
                // perhaps more than the server can answer at once (our simulator runs out of heap): a smaller window
                if (shrunk++ < MAX_SHRINKS && window.compareTo(MIN_WINDOW) > 0) {
                    window = window.dividedBy(8);
                    continue;
                }
                throw e;
            }
            shrunk = 0;
            int routed = dispatchInBatches(deals);
            delivered += routed;
            progress.advanced(to, routed).ifPresent(line -> LOG.info("Back-fill of deals from MT5 server {} ({}): {}",
                    connection.serverId(), checkpointKey, line));
            if (deals.size() > MANY_DEALS) {
                // at once to the density just seen (halving took a dozen reads of ever fewer deals to get there)
                Duration fitted = window.multipliedBy(MANY_DEALS / 2).dividedBy(deals.size());
                window = fitted.compareTo(MIN_WINDOW) < 0 ? MIN_WINDOW : fitted;
            } else if (deals.size() < MANY_DEALS / 5 && window.compareTo(MAX_WINDOW) < 0) {
                window = window.multipliedBy(2);
            }
            from = to;
        }
        if (running.getAsBoolean()) {
            // past now: deals a server clock ahead of ours stamps later, usually none
            delivered += dispatchInBatches(connection.source().dealHistory(from, now.plus(HISTORY_HORIZON)));
        }
        return delivered;
    }

    /** Routes the events this feed accepts, batchSize to an exchange, until done or stopping; returns how many. */
    private int dispatchInBatches(List<Mt5Event> events) throws InterruptedException {
        int batchSize = dispatcher.batchSize();
        int delivered = 0;
        List<Mt5Event> batch = new ArrayList<>();
        for (Mt5Event event : events) {
            if (!running.getAsBoolean()) {
                break;
            }
            if (!subscription.accepts(event)) {
                continue;
            }
            batch.add(event);
            if (batch.size() == batchSize) {
                if (!dispatcher.acquirePermit(running)) {
                    return delivered;
                }
                delivered += batch.size();
                dispatcher.dispatch(batch, true);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty() && dispatcher.acquirePermit(running)) {
            delivered += batch.size();
            dispatcher.dispatch(batch, true);
        }
        return delivered;
    }

    private Instant backfillFrom() {
        Instant stored = checkpoints.stored();
        if (stored == null) {
            return Instant.now().minus(endpoint.getInitialBackfill());
        }
        return stored.minus(endpoint.getBackfillOverlap());
    }

    private void pauseBeforeRetry() throws InterruptedException {
        long until = System.currentTimeMillis() + retryDelay.current().toMillis();
        while (running.getAsBoolean() && System.currentTimeMillis() < until) {
            Thread.sleep(ExchangeDispatcher.POLL_MS);
        }
        retryDelay.doubled();
    }
}

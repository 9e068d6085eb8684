package io.mt5crmhub.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import javax.sql.DataSource;

import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.store.JdbcStateRepository;
import io.mt5crmhub.store.ProcessedKeys;
import io.mt5crmhub.store.SqlDialect;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops events already handled by one sink, recording their ids in the same JDBC table as Camel's idempotent
 * repository ({@code CAMEL_MESSAGEPROCESSED}, one processor name per sink), but in batches.
 * <p>
 * Why not the idempotentConsumer EIP: it calls its repository synchronously, one insert and one commit per event
 * on the consumer's thread, and in the benchmark that insert was 43% of the RabbitMQ fan-out's route time
 * (JFR). Here exchanges wait asynchronously while one writer thread records every key that has arrived meanwhile
 * with one batch insert in one transaction; at low load a batch is a single key and nothing waits.
 * <p>
 * Same semantics as the EIP with {@code eager=true}, {@code removeOnFailure=true}: the key is stored before the
 * event goes on; a duplicate (stored before, or earlier in the same batch) stops routing, which completes the
 * exchange as done; if the exchange later fails, its key is removed so a redelivery or back-fill tries again.
 * A key that a crash leaves without its effect expires at the next start ({@link IdempotencySafePoint}).
 * The insert itself decides which keys are new, so gates sharing a table (several hubs on one PostgreSQL) never
 * both let the same event through.
 * <p>
 * A batch ({@link ExchangeEvents}) is filtered: the duplicates leave the list, and only a list left empty stops
 * routing.
 * <p>
 * Several routes share one gate, so it is deliberately not a Camel service (a route stopping would stop it for
 * the others): {@link #start()} and {@link #stop()} are called by the context's lifecycle, after the routes.
 */
public class BatchingIdempotencyGate implements AsyncProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingIdempotencyGate.class);
    private static final int MAX_BATCH = 500;
    private static final int CONTINUATION_THREADS = 2;

    private final DataSource dataSource;
    private final String processorName;
    private final ProcessedKeys keys;
    private final IdempotencySafePoint safePoint;
    private final BlockingQueue<Waiting> arrivals = new LinkedBlockingQueue<>();
    private Thread writer;
    private ExecutorService continuations;
    private volatile boolean running;

    /** An exchange at the gate: one event (its key from the header) or a list of events (their ids). */
    private record Waiting(Exchange exchange, AsyncCallback callback, String key, List<Mt5Event> events) {
    }

    public BatchingIdempotencyGate(DataSource dataSource, SqlDialect dialect, String processorName) {
        this(dataSource, dialect, processorName, new JdbcStateRepository(dataSource, dialect));
    }

    /** @param safePoints where the safe point is kept (the hub's {@code hub_checkpoint}) */
    public BatchingIdempotencyGate(DataSource dataSource, SqlDialect dialect, String processorName,
            StateRepository<String, String> safePoints) {
        this.dataSource = dataSource;
        this.processorName = processorName;
        this.safePoint = new IdempotencySafePoint(dataSource, safePoints, processorName);
        this.keys = new ProcessedKeys(dialect, processorName);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        processAsync(exchange).get();
    }

    @Override
    public CompletableFuture<Exchange> processAsync(Exchange exchange) {
        CompletableFuture<Exchange> done = new CompletableFuture<>();
        process(exchange, doneSync -> done.complete(exchange));
        return done;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (ExchangeEvents.isBatch(exchange)) {
            List<Mt5Event> events;
            try {
                events = ExchangeEvents.of(exchange);
            } catch (Exception e) {
                exchange.setException(e);
                callback.done(true);
                return true;
            }
            arrivals.add(new Waiting(exchange, callback, null, events));
            return false;
        }
        String key = exchange.getMessage().getHeader(Mt5Constants.EVENT_ID, String.class);
        if (key == null) {
            exchange.setException(new IllegalArgumentException("no " + Mt5Constants.EVENT_ID + " header to deduplicate on"));
            callback.done(true);
            return true;
        }
        arrivals.add(new Waiting(exchange, callback, key, null));
        return false;
    }

    private void writeLoop() {
        List<Waiting> batch = new ArrayList<>(MAX_BATCH);
        while (running || !arrivals.isEmpty()) {
            try {
                safePoint.store(false);
                Waiting first = arrivals.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                arrivals.drainTo(batch, MAX_BATCH - 1);
                decide(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("idempotency gate {} failed on a batch of {}", processorName, batch.size(), e);
                for (Waiting w : batch) {
                    w.exchange.setException(e);
                    w.callback.done(false);
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void decide(List<Waiting> batch) {
        Set<String> fresh;
        long stamp = safePoint.nextStamp();
        try {
            fresh = record(batch, stamp);
        } catch (SQLException e) {
            throw new RuntimeCamelException("cannot record idempotency keys of " + processorName + ": " + e.getMessage(), e);
        }
        for (Waiting w : batch) {
            if (w.events == null) {
                admit(w, fresh.remove(w.key) ? List.of(w.key) : List.of(), stamp);
            } else {
                List<Mt5Event> passing = new ArrayList<>(w.events.size());
                List<String> keys = new ArrayList<>(w.events.size());
                for (Mt5Event event : w.events) {
                    if (fresh.remove(event.eventId())) {
                        passing.add(event);
                        keys.add(event.eventId());
                    }
                }
                if (passing.size() < w.events.size() && !passing.isEmpty()) {
                    ExchangeEvents.replace(w.exchange, passing);
                }
                admit(w, keys, stamp);
            }
            // the rest of the route runs on other threads: this writer only records keys (measured: continuing the
            // routes here made it the fan-out's bottleneck)
            continuations.execute(() -> w.callback.done(false));
        }
    }

    /** Lets the exchange on with the keys it stored, or stops it as a duplicate when it stored none. */
    private void admit(Waiting w, List<String> storedKeys, long stamp) {
        if (storedKeys.isEmpty()) {
            w.exchange.setProperty(Exchange.DUPLICATE_MESSAGE, true);
            w.exchange.setRouteStop(true);
        } else {
            safePoint.opened(stamp);
            w.exchange.getExchangeExtension().addOnCompletion(new KeysOutcome(storedKeys, stamp));
        }
    }

    /**
     * Stores the keys not stored yet; returns them (each once, however often it occurs in the batch). No lookup
     * first: the insert's own answer per key says whether it was new (measured: the lookup was a third of the
     * writer's time on H2).
     */
    private Set<String> record(List<Waiting> batch, long stamp) throws SQLException {
        Set<String> keySet = new LinkedHashSet<>();
        for (Waiting w : batch) {
            if (w.events == null) {
                keySet.add(w.key);
            } else {
                for (Mt5Event event : w.events) {
                    keySet.add(event.eventId());
                }
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Set<String> fresh = keys.insertNew(c, keySet, new Timestamp(stamp));
                c.commit();
                return fresh;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * When an exchange that stored keys ends. On failure it gives them back, so its events are tried again; when a
     * step delivered part of the exchange (the RabbitMQ publisher), only the keys of the events it lists as
     * {@link ExchangeEvents#UNDELIVERED undelivered}. Either way its keys no longer hold the safe point.
     */
    private final class KeysOutcome extends SynchronizationAdapter {
        private final List<String> keys;
        private final long stamp;

        KeysOutcome(List<String> keys, long stamp) {
            this.keys = keys;
            this.stamp = stamp;
        }

        @Override
        public void onComplete(Exchange exchange) {
            safePoint.closed(stamp);
        }

        @Override
        public void onFailure(Exchange exchange) {
            try {
                forget(exchange);
            } finally {
                safePoint.closed(stamp);
            }
        }

        private void forget(Exchange exchange) {
            List<String> forget = ExchangeEvents.undelivered(exchange).map(undelivered -> {
                Set<String> still = new HashSet<>();
                undelivered.forEach(event -> still.add(event.eventId()));
                return keys.stream().filter(still::contains).toList();
            }).orElse(keys);
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId = ?")) {
                for (String key : forget) {
                    ps.setString(1, processorName);
                    ps.setString(2, key);
                    ps.addBatch();
                }
                ps.executeBatch();
            } catch (SQLException e) {
                // the key stays, but so does the safe point before it: the next start forgets it
                LOG.warn("could not forget the idempotency keys {} of {} after a failure: {}", forget, processorName,
                        e.getMessage());
            }
        }
    }

    /** Forgets the keys an unclean stop left without their effect, then takes events. */
    public synchronized void start() throws SQLException {
        if (writer == null) {
            safePoint.forgetUnsafeKeys();
            running = true;
            continuations = Executors.newFixedThreadPool(CONTINUATION_THREADS, runnable -> {
                Thread t = new Thread(runnable, "idempotency-" + processorName + "-route");
                t.setDaemon(true);
                return t;
            });
            writer = new Thread(this::writeLoop, "idempotency-" + processorName);
            writer.start();
        }
    }

    /** Stops once every exchange waiting at the gate has been decided. */
    public synchronized void stop() throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.join(10_000);
            writer = null;
            continuations.shutdown();
            continuations.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            safePoint.store(true);
        }
    }
}

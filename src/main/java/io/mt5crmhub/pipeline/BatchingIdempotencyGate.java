package io.mt5crmhub.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import javax.sql.DataSource;

import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.store.SqlDialect;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
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
 * with one query and one batch insert in one transaction; at low load a batch is a single key and nothing waits.
 * <p>
 * Same semantics as the EIP with {@code eager=true}, {@code removeOnFailure=true}: the key is stored before the
 * event goes on; a duplicate (stored before, or earlier in the same batch) stops routing, which completes the
 * exchange as done; if the exchange later fails, its key is removed so a redelivery or back-fill tries again.
 * One gate is the only writer of its processor name in this hub, so the query-then-insert cannot race.
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
    private final String insert;
    private final BlockingQueue<Waiting> arrivals = new LinkedBlockingQueue<>();
    private Thread writer;
    private ExecutorService continuations;
    private volatile boolean running;

    private record Waiting(Exchange exchange, AsyncCallback callback, String key) {
    }

    public BatchingIdempotencyGate(DataSource dataSource, SqlDialect dialect, String processorName) {
        this.dataSource = dataSource;
        this.processorName = processorName;
        this.insert = dialect.insertIfAbsent(
                "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)");
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
        String key = exchange.getMessage().getHeader(Mt5Constants.EVENT_ID, String.class);
        if (key == null) {
            exchange.setException(new IllegalArgumentException("no " + Mt5Constants.EVENT_ID + " header to deduplicate on"));
            callback.done(true);
            return true;
        }
        arrivals.add(new Waiting(exchange, callback, key));
        return false;
    }

    private void writeLoop() {
        List<Waiting> batch = new ArrayList<>(MAX_BATCH);
        while (running || !arrivals.isEmpty()) {
            try {
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
        try {
            fresh = record(batch);
        } catch (SQLException e) {
            throw new RuntimeCamelException("cannot record idempotency keys of " + processorName + ": " + e.getMessage(), e);
        }
        for (Waiting w : batch) {
            if (fresh.remove(w.key)) {
                w.exchange.getExchangeExtension().addOnCompletion(new ForgetOnFailure(w.key));
            } else {
                w.exchange.setProperty(Exchange.DUPLICATE_MESSAGE, true);
                w.exchange.setRouteStop(true);
            }
            // the rest of the route runs on other threads: this writer only records keys (measured: continuing the
            // routes here made it the fan-out's bottleneck)
            continuations.execute(() -> w.callback.done(false));
        }
    }

    /** Stores the keys not stored yet; returns them (each once, however often it occurs in the batch). */
    private Set<String> record(List<Waiting> batch) throws SQLException {
        Set<String> keys = new HashSet<>();
        for (Waiting w : batch) {
            keys.add(w.key);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                keys.removeAll(existing(c, keys));
                if (!keys.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(insert)) {
                        Timestamp now = new Timestamp(System.currentTimeMillis());
                        for (String key : keys) {
                            ps.setString(1, processorName);
                            ps.setString(2, key);
                            ps.setTimestamp(3, now);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                c.commit();
                return keys;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private Set<String> existing(Connection c, Set<String> keys) throws SQLException {
        // a join on a VALUES list, not "messageId IN (...)": H2 answers IN with a scan of every key of the
        // processor name, the join with one primary-key lookup per key
        String values = String.join(",", Collections.nCopies(keys.size(), "(CAST(? AS VARCHAR(100)))"));
        try (PreparedStatement ps = c.prepareStatement("SELECT m.messageId FROM (VALUES " + values + ") v(id)"
                + " JOIN CAMEL_MESSAGEPROCESSED m ON m.processorName = ? AND m.messageId = v.id")) {
            int i = 0;
            for (String key : keys) {
                ps.setString(++i, key);
            }
            ps.setString(++i, processorName);
            Set<String> found = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        }
    }

    /** An exchange that failed after its key was stored gives the key back, so the event is tried again. */
    private final class ForgetOnFailure extends SynchronizationAdapter {
        private final String key;

        ForgetOnFailure(String key) {
            this.key = key;
        }

        @Override
        public void onFailure(Exchange exchange) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId = ?")) {
                ps.setString(1, processorName);
                ps.setString(2, key);
                ps.executeUpdate();
            } catch (SQLException e) {
                LOG.warn("could not forget idempotency key {} of {} after a failure: {}", key, processorName,
                        e.getMessage());
            }
        }
    }

    public synchronized void start() {
        if (writer == null) {
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
        }
    }
}

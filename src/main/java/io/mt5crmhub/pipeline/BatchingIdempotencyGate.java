package io.mt5crmhub.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.store.JdbcStateRepository;
import io.mt5crmhub.store.ProcessedKeys;
import io.mt5crmhub.store.ServerLeases;
import io.mt5crmhub.store.SqlDialect;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops events already handled by one sink, recording their ids in the same JDBC table as Camel's idempotent
 * repository ({@code CAMEL_MESSAGEPROCESSED}, one processor name per sink), a list's keys in one insert batch and one
 * transaction.
 * <p>
 * Why not the idempotentConsumer EIP: it calls its repository once per message, one insert and one commit per event,
 * and in the benchmark that insert was 43% of the RabbitMQ fan-out's route time (JFR). The routes take lists of the
 * events waiting (an exchange per list), so this gate writes a list's keys in one transaction on the route's own
 * thread. It did so on a writer thread of its own that gathered several exchanges per transaction, handing each
 * exchange on to a pool afterwards; once the routes took lists, those two hand-offs were the part of the RabbitMQ
 * latency the hub added on top of the broker (0.3 and 0.3 ms at the median, 10 and 18 ms at p99 at 2,000 events/s,
 * measured per stage), for transactions that held lists already.
 * <p>
 * Same semantics as the EIP with {@code eager=true}, {@code removeOnFailure=true}: the key is stored before the
 * event goes on; a duplicate (stored before, or earlier in the same list) stops routing, which completes the
 * exchange as done; if the exchange later fails, its key is removed so a redelivery or back-fill tries again.
 * A key that a crash leaves without its effect expires when the server is read next, by this process after a restart or
 * by the instance that takes the server over ({@link IdempotencySafePoint}, one per MT5 server: {@link #recover}).
 * Every write of a server's keys checks its fence ({@link ServerLeases}) in its own transaction.
 * The insert itself decides which keys are new, so routes or hubs sharing a table (several hubs on one PostgreSQL)
 * never both let the same event through; keys are inserted in sorted order, so two transactions with common keys
 * wait for each other rather than deadlock.
 * <p>
 * A batch ({@link ExchangeEvents}) is filtered: the duplicates leave the list, and only a list left empty stops
 * routing.
 * <p>
 * Several routes share one gate, so it is deliberately not a Camel service (a route stopping would stop it for
 * the others): {@link #start()} and {@link #stop()} are called by the context's lifecycle, after the routes.
 */
public class BatchingIdempotencyGate implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingIdempotencyGate.class);
    private static final long SAFE_POINT_EVERY_MS = 250;
    /**
     * Exchange property: the stamps of an attempt whose transaction failed, perhaps after its commit took effect (the
     * connection ended during the commit). The exchange's retry keeps them and takes keys stored under them as its own.
     */
    private static final String UNCERTAIN_STAMPS = "mt5hub.idempotencyUncertainStamps";

    private final DataSource dataSource;
    private final String processorName;
    private final ProcessedKeys keys;
    private final StateRepository<String, String> states;
    private final ServerLeases leases;
    /** The safe point of each server this process stored keys of, replaced when the server is taken over. */
    private final Map<String, IdempotencySafePoint> safePoints = new ConcurrentHashMap<>();
    private final UnforgottenKeys unforgotten = new UnforgottenKeys();
    private ScheduledExecutorService safePointWriter;

    public BatchingIdempotencyGate(DataSource dataSource, SqlDialect dialect, String processorName) {
        this(dataSource, dialect, processorName, new JdbcStateRepository(dataSource, dialect), ServerLeases.unfenced());
    }

    /**
     * @param states where the safe points are kept (the hub's {@code hub_checkpoint})
     * @param leases the servers' fences; with several instances, a server's keys are recovered when it is taken
     *               ({@link #recover}) instead of at {@link #start()}
     */
    public BatchingIdempotencyGate(DataSource dataSource, SqlDialect dialect, String processorName,
            StateRepository<String, String> states, ServerLeases leases) {
        this.dataSource = dataSource;
        this.processorName = processorName;
        this.states = states;
        this.leases = leases;
        this.keys = new ProcessedKeys(dialect, processorName);
    }

    /** Lets the exchange on with its events not seen before, or stops it as a duplicate when none is left. */
    @Override
    public void process(Exchange exchange) throws Exception {
        List<Mt5Event> events = null;
        Set<String> keySet = new TreeSet<>();
        if (ExchangeEvents.isBatch(exchange)) {
            events = ExchangeEvents.of(exchange);
            events.forEach(event -> keySet.add(event.eventId()));
        } else {
            String key = exchange.getMessage().getHeader(Mt5Constants.EVENT_ID, String.class);
            if (key == null) {
                throw new IllegalArgumentException("no " + Mt5Constants.EVENT_ID + " header to deduplicate on");
            }
            keySet.add(key);
        }
        @SuppressWarnings("unchecked")
        Map<IdempotencySafePoint, Long> uncertain = exchange.getProperty(UNCERTAIN_STAMPS, Map.class);
        Map<IdempotencySafePoint, Long> stamps = uncertain != null ? uncertain : open(keySet);
        Map<String, UnforgottenKeys.Kept> failedBefore = unforgotten.take(keySet);
        Set<String> fresh;
        try {
            fresh = record(keySet, stamps, failedBefore, uncertain != null);
        } catch (SQLException | RuntimeException e) {
            unforgotten.putBack(failedBefore);
            if (uncertain == null) {
                // a commit can fail after it took effect: until the exchange ends, its stamps stay open, a retry
                // takes what is stored under them as its own, and a failure for good deletes it
                exchange.setProperty(UNCERTAIN_STAMPS, stamps);
                exchange.getExchangeExtension().addOnCompletion(new KeysOutcome(List.copyOf(keySet), stamps, true));
            }
            throw new RuntimeCamelException("cannot record idempotency keys of " + processorName + ": "
                    + e.getMessage(), e);
        }
        unforgotten.settled(failedBefore);
        if (uncertain != null) {
            exchange.removeProperty(UNCERTAIN_STAMPS);
        }
        List<String> stored = new ArrayList<>(fresh.size());
        if (events == null) {
            stored.addAll(fresh);
        } else {
            List<Mt5Event> passing = new ArrayList<>(events.size());
            for (Mt5Event event : events) {
                if (fresh.remove(event.eventId())) {
                    passing.add(event);
                    stored.add(event.eventId());
                }
            }
            if (passing.size() < events.size() && !passing.isEmpty()) {
                ExchangeEvents.replace(exchange, passing);
            }
        }
        if (stored.isEmpty()) {
            close(stamps);
            exchange.setProperty(Exchange.DUPLICATE_MESSAGE, true);
            exchange.setRouteStop(true);
        } else {
            exchange.getExchangeExtension().addOnCompletion(new KeysOutcome(stored, stamps, false));
        }
    }

    /** The server of an event id ({@code <server>:<entity>:...}). */
    static String serverOf(String eventId) {
        int end = eventId.indexOf(':');
        if (end <= 0) {
            throw new IllegalArgumentException("event id '" + eventId + "' does not start with its MT5 server");
        }
        return eventId.substring(0, end);
    }

    /** A stamp from the safe point of each server the keys belong to (an exchange's events are one server's). */
    private Map<IdempotencySafePoint, Long> open(Set<String> keySet) throws SQLException {
        Map<IdempotencySafePoint, Long> stamps = new LinkedHashMap<>();
        for (String key : keySet) {
            IdempotencySafePoint safePoint = safePointOf(serverOf(key));
            if (!stamps.containsKey(safePoint)) {
                stamps.put(safePoint, safePoint.open());
            }
        }
        return stamps;
    }

    private static void close(Map<IdempotencySafePoint, Long> stamps) {
        stamps.forEach(IdempotencySafePoint::closed);
    }

    /** The server's safe point; the first keys of a server in this process recover it first. */
    private IdempotencySafePoint safePointOf(String serverId) throws SQLException {
        IdempotencySafePoint safePoint = safePoints.get(serverId);
        if (safePoint != null) {
            return safePoint;
        }
        synchronized (this) {
            safePoint = safePoints.get(serverId);
            if (safePoint == null) {
                safePoint = recovered(serverId);
            }
            return safePoint;
        }
    }

    /**
     * The server was just taken by this instance (its fence raised): forgets the keys its former owner stored after
     * its last safe point, before any event of the server is read here.
     */
    public synchronized void recover(String serverId) throws SQLException {
        recovered(serverId);
    }

    private IdempotencySafePoint recovered(String serverId) throws SQLException {
        IdempotencySafePoint safePoint = new IdempotencySafePoint(dataSource, states, leases, processorName, serverId);
        safePoint.forgetUnsafeKeys(states.getState(legacyKey()));
        safePoints.put(serverId, safePoint);
        return safePoint;
    }

    /** Where versions before 2026-12 kept one safe point for all the sink's servers: a fallback for a server without its own. */
    private String legacyKey() {
        return "idempotency-safe-point:" + processorName;
    }

    /**
     * Stores the keys not stored yet; returns them, with those of {@code failedBefore} (keys of failed exchanges still
     * stored) whose rows still carry a stamp they were kept under, given this exchange's stamp. No lookup first: the
     * insert's own answer per key says whether it was new (measured: the lookup was a third of the gate's time on H2).
     */
    private Set<String> record(Set<String> keySet, Map<IdempotencySafePoint, Long> stamps,
            Map<String, UnforgottenKeys.Kept> failedBefore, boolean retried) throws SQLException {
        Timestamp stamp = new Timestamp(stamps.values().iterator().next());
        try (Connection c = dataSource.getConnection()) {
            return leases.guarded(c, serversOf(keySet), conn -> {
                Set<String> fresh = keys.insertNew(conn, keySet, stamp);
                if (retried && fresh.size() < keySet.size()) {
                    // stored by this exchange's attempt whose commit failed but took effect
                    fresh.addAll(keys.storedAt(conn, keySet.stream().filter(key -> !fresh.contains(key)).toList(),
                            stamp));
                }
                for (Map.Entry<String, UnforgottenKeys.Kept> kept : failedBefore.entrySet()) {
                    String key = kept.getKey();
                    List<Long> keptUnder = kept.getValue().stampsOf(safePointOf(serverOf(key)));
                    if (!fresh.contains(key) && keys.restamp(conn, key, keptUnder, stamp)) {
                        fresh.add(key);
                    }
                }
                return fresh;
            });
        }
    }

    private static Set<String> serversOf(Iterable<String> keys) {
        Set<String> servers = new TreeSet<>();
        keys.forEach(key -> servers.add(serverOf(key)));
        return servers;
    }

    /**
     * When an exchange that stored keys ends. On failure it gives them back, so its events are tried again; when a
     * step delivered part of the exchange (the RabbitMQ publisher), only the keys of the events it lists as
     * {@link ExchangeEvents#UNDELIVERED undelivered}. Either way its keys no longer hold the safe point.
     */
    private final class KeysOutcome extends SynchronizationAdapter {
        private final List<String> keys;
        private final Map<IdempotencySafePoint, Long> stamps;
        /** Only those of the keys stored under the stamps are this exchange's (an attempt whose outcome is unknown). */
        private final boolean onlyUnderItsStamps;

        KeysOutcome(List<String> keys, Map<IdempotencySafePoint, Long> stamps, boolean onlyUnderItsStamps) {
            this.keys = keys;
            this.stamps = stamps;
            this.onlyUnderItsStamps = onlyUnderItsStamps;
        }

        @Override
        public void onComplete(Exchange exchange) {
            close(stamps);
        }

        @Override
        public void onFailure(Exchange exchange) {
            boolean forgotten = false;
            try {
                forgotten = forget(exchange);
            } finally {
                if (forgotten) {
                    close(stamps);
                }
            }
        }

        /** False when the keys could not be deleted: they are kept, with their stamps open, for later. */
        private boolean forget(Exchange exchange) {
            List<String> forget = keys;
            try {
                forget = ExchangeEvents.undelivered(exchange).map(undelivered -> {
                    Set<String> still = new HashSet<>();
                    undelivered.forEach(event -> still.add(event.eventId()));
                    return keys.stream().filter(still::contains).toList();
                }).orElse(keys);
                if (forget.isEmpty()) {
                    return true;
                }
                if (onlyUnderItsStamps) {
                    deleteUnder(forget, stamps);
                } else {
                    delete(forget);
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                // kept: the gate lets their events through when the back-fill brings them again; until then their
                // stamps hold the safe point before them, so a crash or a stop makes them expire at the next start
                unforgotten.add(forget, stamps);
                LOG.warn("Could not delete the idempotency keys {} of {} after their exchange failed ({}): their"
                        + " events go through when the back-fill brings them again", forget, processorName,
                        e.getMessage());
                return false;
            }
        }
    }

    private void delete(List<String> forget) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            leases.guarded(c, serversOf(forget), conn -> {
                keys.delete(conn, forget);
                return null;
            });
        }
    }

    private void deleteUnder(List<String> forget, Map<IdempotencySafePoint, Long> stamps) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            leases.guarded(c, serversOf(forget), conn -> {
                for (Map.Entry<IdempotencySafePoint, Long> stamp : stamps.entrySet()) {
                    String server = stamp.getKey().serverId();
                    keys.delete(conn, forget.stream().filter(key -> serverOf(key).equals(server)).toList(),
                            new Timestamp(stamp.getValue()));
                }
                return null;
            });
        }
    }

    /**
     * With one instance, forgets the keys an unclean stop left without their effect, for every server this sink stored
     * keys of; then stores each server's safe point about every {@value #SAFE_POINT_EVERY_MS} ms while it moves. Call
     * before the first event arrives. With several instances each server is recovered when it is taken instead.
     */
    public synchronized void start() throws SQLException {
        if (safePointWriter == null) {
            if (!leases.isFenced()) {
                recoverEveryServer();
            }
            safePointWriter = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, "idempotency-" + processorName + "-safe-point");
                t.setDaemon(true);
                return t;
            });
            safePointWriter.scheduleWithFixedDelay(this::storeSafePoints, SAFE_POINT_EVERY_MS,
                    SAFE_POINT_EVERY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Every server with a stored safe point; and, once, the keys of an earlier version's sink-wide safe point. */
    private void recoverEveryServer() throws SQLException {
        String legacy = states.getState(legacyKey());
        if (legacy != null) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND createdAt >= ?")) {
                ps.setString(1, processorName);
                ps.setTimestamp(2, new Timestamp(Long.parseLong(legacy)));
                ps.executeUpdate();
            }
        }
        List<String> servers = new ArrayList<>();
        String suffix = IdempotencySafePoint.keyOf("", processorName).substring("mt5:".length()); // :safe-point:<sink>
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT checkpoint_key FROM hub_checkpoint WHERE checkpoint_key LIKE ? ESCAPE '!'")) {
            ps.setString(1, "mt5:%" + IdempotencySafePoint.likeEscaped(suffix));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    servers.add(key.substring("mt5:".length(), key.length() - suffix.length()));
                }
            }
        }
        for (String server : servers) {
            recovered(server);
        }
        if (legacy != null) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM hub_checkpoint WHERE checkpoint_key = ?")) {
                ps.setString(1, legacyKey());
                ps.executeUpdate();
            }
        }
    }

    private void storeSafePoints() {
        safePoints.values().forEach(IdempotencySafePoint::store);
    }

    /** Stores the safe points once more, after the routes have stopped. */
    public synchronized void stop() throws InterruptedException {
        if (safePointWriter != null) {
            safePointWriter.shutdown();
            safePointWriter.awaitTermination(10, TimeUnit.SECONDS);
            safePointWriter = null;
            storeSafePoints();
        }
    }
}

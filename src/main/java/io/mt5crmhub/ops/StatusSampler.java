package io.mt5crmhub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.balance.BalanceState;
import io.mt5crmhub.component.FeedFigures;
import io.mt5crmhub.component.Mt5Connection;
import io.mt5crmhub.component.Mt5Consumer;
import io.mt5crmhub.deadletter.DeadLetterCounts;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the hub's status every {@code every} on a thread of its own, from what the hub keeps in memory (MT5
 * connections, mt5: consumers, the sinks' health checks, the last {@link StoreFigures}), and keeps the last ten
 * minutes of a few series. {@link #current()} answers from the last sample without waiting for anything; a sample
 * that is late (something it read hangs) is answered anyway, saying how old it is.
 */
public final class StatusSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusSampler.class);
    static final Duration HISTORY_SPAN = Duration.ofMinutes(10);

    private final CamelContext context;
    private final StoreFigures storeFigures;
    private final Clock clock;
    private final Duration every;
    private final StatusHistory history;
    private final Map<String, Long> lastReceived = new HashMap<>();
    private final Map<String, Long> lastCompleted = new HashMap<>();
    private final Map<String, Instant> lastProgressAt = new HashMap<>();
    private Instant lastSampleAt;
    private volatile HubStatus last;
    private BackgroundLoop loop;

    public StatusSampler(CamelContext context, StoreFigures storeFigures, Clock clock, Duration every) {
        this.context = context;
        this.storeFigures = storeFigures;
        this.clock = clock;
        this.every = every;
        this.history = new StatusHistory((int) (HISTORY_SPAN.toMillis() / every.toMillis()));
        this.last = new HubStatus(clock.instant().toString(), 0, List.of(), List.of(),
                new HubStatus.DeadLetters(Map.of(), null, null), new HubStatus.BalanceOperations(Map.of(), 0, null),
                List.of("the first sample is not taken yet"), history.columns());
    }

    public synchronized void start() {
        loop = new BackgroundLoop("hub-status-sampler", every, this::sampleSafely);
    }

    /** The last sample, with its age; it says it is late when the sampler has not sampled for three periods. */
    public HubStatus current() {
        HubStatus status = last;
        double age = Math.max(0, Duration.between(Instant.parse(status.sampledAt()), clock.instant()).toMillis() / 1e3);
        List<String> late = age > 3 * every.toSeconds()
                ? List.of("the status is " + Math.round(age) + " s old: gathering it is stuck") : List.of();
        return status.aged(age, late);
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            LOG.warn("Could not gather the hub's status: {}", e.toString());
        }
    }

    /** One sample; the sampler's thread only (a test calls it directly). */
    void sample() {
        Instant now = clock.instant();
        double seconds = lastSampleAt == null ? 0 : Duration.between(lastSampleAt, now).toMillis() / 1e3;
        lastSampleAt = now;
        List<String> problems = new ArrayList<>();
        Map<String, Double> point = new LinkedHashMap<>();
        Map<String, Mt5Connection> connections = new LinkedHashMap<>();
        List<HubStatus.Sink> sinks = new ArrayList<>();
        Map<String, Double> serverLag = new HashMap<>();
        for (Route route : context.getRoutes()) {
            if (!(route.getConsumer() instanceof Mt5Consumer consumer)) {
                continue;
            }
            consumer.connections().forEach(c -> connections.putIfAbsent(c.serverId(), c));
            boolean started = context.getRouteController().getRouteStatus(route.getRouteId()).isStarted();
            for (FeedFigures f : consumer.feedFigures()) {
                sinks.add(sink(f, started, now, problems));
                serverLag.merge(f.server(), f.lagSeconds(), Math::max);
                point.put("lag " + f.routeId() + "@" + f.server(), f.lagSeconds());
            }
        }
        List<HubStatus.Server> servers = new ArrayList<>();
        for (Mt5Connection c : connections.values()) {
            long received = c.activity().receivedTotal();
            Long before = lastReceived.put(c.serverId(), received);
            Double rate = before == null || seconds <= 0 ? null : (received - before) / seconds;
            if (rate != null) {
                point.put("events/s " + c.serverId(), rate);
            }
            if (!c.isConnected()) {
                problems.add("MT5 server " + c.serverId() + " is not connected since " + c.stateSince()
                        + (c.lastProblem() == null ? "" : ": " + c.lastProblem()));
            }
            servers.add(new HubStatus.Server(c.serverId(), c.gatewayName(), c.isConnected(), c.stateSince().toString(),
                    c.lastProblem(), rate, finite(c.lastEventAgeSeconds()), serverLag.get(c.serverId()), received,
                    c.activity().reconnects(), c.source().skippedRecords()));
        }
        StoreFigures.Snapshot store = storeFigures.last();
        if (store.problem() != null) {
            problems.add("hub database: " + store.problem());
        }
        point.put("dead letters", (double) store.deadLetters().count("DEAD"));
        history.add(now.getEpochSecond(), point);
        last = new HubStatus(now.toString(), 0, List.copyOf(servers), List.copyOf(sinks), deadLetters(store, now),
                balance(store), List.copyOf(problems), history.columns());
    }

    private HubStatus.Sink sink(FeedFigures f, boolean started, Instant now, List<String> problems) {
        String key = f.routeId() + "@" + f.server();
        long completed = f.delivered() + f.deadLettered() + f.failed();
        Long before = lastCompleted.put(key, completed);
        if (before == null || completed != before || f.held() == 0) {
            lastProgressAt.put(key, now);
        }
        String name = sinkName(f);
        SinkState state = SinkState.of(f, started, sinkCheckDown(name),
                Duration.between(lastProgressAt.get(key), now));
        if (state.reason() != null) {
            problems.add("sink " + key + " is DOWN: " + state.reason());
        }
        return new HubStatus.Sink(f.routeId(), name, f.server(), f.stream(), state.state(), state.reason(),
                f.lagSeconds(), f.held(), f.bound(), f.overflowed(), f.delivered(), f.deadLettered(), f.failed(),
                finite(f.checkpointAgeSeconds()));
    }

    /** The sink a route feeds, by the routes' naming: {@code <sink>-<stream>} (rabbitmq-deals feeds rabbitmq). */
    static String sinkName(FeedFigures f) {
        String suffix = "-" + f.stream();
        return f.routeId().endsWith(suffix) ? f.routeId().substring(0, f.routeId().length() - suffix.length())
                : f.routeId();
    }

    /** The message of the sink's own health check when it is DOWN, else null (also when it has none). */
    private String sinkCheckDown(String sink) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        Optional<HealthCheck> check = registry == null ? Optional.empty() : registry.getCheck(sink);
        if (check.isEmpty()) {
            return null;
        }
        HealthCheck.Result result = check.get().call();
        return result.getState() == HealthCheck.State.DOWN
                ? result.getMessage().orElse(sink + " health check is DOWN") : null;
    }

    private static HubStatus.DeadLetters deadLetters(StoreFigures.Snapshot store, Instant now) {
        Map<String, Long> byState = new LinkedHashMap<>();
        for (String state : DeadLetterCounts.STATES) {
            byState.put(state, store.deadLetters().count(state));
        }
        Instant oldest = store.deadLetters().oldestWaiting();
        return new HubStatus.DeadLetters(byState, oldest == null ? null
                : Math.max(0, Duration.between(oldest, now).toMillis() / 1e3), text(store.readAt()));
    }

    private static HubStatus.BalanceOperations balance(StoreFigures.Snapshot store) {
        Map<String, Long> byState = new LinkedHashMap<>();
        for (BalanceState state : BalanceState.values()) {
            byState.put(state.name(), store.balance().count(state));
        }
        return new HubStatus.BalanceOperations(byState, store.balance().sentOverdue(), text(store.readAt()));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Double finite(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }
}

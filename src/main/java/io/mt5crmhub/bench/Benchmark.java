package io.mt5crmhub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.mt5crmhub.app.HubMain;
import io.mt5crmhub.config.Secrets;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.gateway.simulator.SimulatorGateway;
import io.mt5crmhub.gateway.simulator.SimulatorSettings;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;
import io.mt5crmhub.rabbitmq.EventMessages;
import org.apache.camel.main.Main;

/**
 * {@code java -jar mt5-crm-hub.jar bench}: end-to-end events/s of the RabbitMQ fan-out (simulator at full speed,
 * clientId enrichment, JDBC idempotency on H2 then PostgreSQL, publishing with confirms) next to a plain
 * pipelined amqp-client publisher sending the same messages to the same broker, in one run.
 */
public final class Benchmark {

    private static final String SERVER = "bench";
    private static final long SEED = 42;

    private final BenchmarkOptions options;
    /** Warm-up and measured events: how many the simulator makes and each publisher sends. */
    private final int events;
    /**
     * The simulated clock's start, the same for the reference and the hub: near now, since the hub's first
     * back-fill reads only a day back from the wall clock.
     */
    private final String start;
    private final String exchange = "mt5.bench." + UUID.randomUUID().toString().substring(0, 8);
    private final String queue = exchange + ".events";

    private Benchmark(BenchmarkOptions options, Instant start) {
        this.options = options;
        this.events = options.warmUp() + options.measured();
        this.start = start.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Runs the benchmark and prints its table; @return the exit code: 0 measured, 1 failed */
    public static int run(BenchmarkOptions options) {
        try {
            new Benchmark(options, Instant.now()).measure();
            return 0;
        } catch (Exception e) {
            System.err.println("mt5-crm-hub bench failed: " + e);
            return 1;
        }
    }

    private void measure() throws Exception {
        Path work = Files.createTempDirectory("mt5-hub-bench");
        System.out.printf("mt5-crm-hub benchmark: %d events timed after %d to warm up, %d cores, RabbitMQ %s,"
                + " work dir %s%n", options.measured(), options.warmUp(), Runtime.getRuntime().availableProcessors(),
                Secrets.maskUrl(options.rabbitmq()), work);

        long t0 = System.nanoTime();
        List<Mt5Event> stream = simulate(work.resolve("reference"));
        double simulator = events / ((System.nanoTime() - t0) / 1e9);

        ConnectionFactory factory = EventMessages.connectionFactory(options.rabbitmq());
        try (com.rabbitmq.client.Connection connection = factory.newConnection("mt5-crm-hub bench")) {
            Channel admin = connection.createChannel();
            admin.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false, true, Map.of());
            admin.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            admin.queueBind(queue, exchange, "#");
            try {
                double reference = ReferencePublisher.publish(connection, exchange, stream, options.warmUp());
                admin.queuePurge(queue);
                double h2 = hub(work.resolve("h2"), "jdbc:h2:file:" + work.resolve("h2/hub"), "sa", admin);
                admin.queuePurge(queue);
                Optional<Double> pg = postgresHub(work.resolve("pg"), admin);

                System.out.println();
                System.out.printf("%-62s %10s%n", "measured", "events/s");
                System.out.printf("%-62s %10.0f%n", "simulator alone (generation and its H2 books)", simulator);
                System.out.printf("%-62s %10.0f%n", "reference: plain amqp-client, 1000 confirms in flight",
                        reference);
                System.out.printf("%-62s %10.0f  (%.0f%% of reference)%n",
                        "hub: simulator -> clientId -> idempotency (H2) -> RabbitMQ", h2, 100 * h2 / reference);
                if (pg.isPresent()) {
                    System.out.printf("%-62s %10.0f  (%.0f%% of reference)%n",
                            "hub: simulator -> clientId -> idempotency (PostgreSQL) -> RabbitMQ", pg.get(),
                            100 * pg.get() / reference);
                } else {
                    System.out.println("hub with PostgreSQL: skipped, " + Secrets.maskUrl(options.postgres())
                            + " is not reachable");
                }
            } finally {
                admin.queueDelete(queue);
                admin.exchangeDelete(exchange);
            }
        }
    }

    /** The simulator's first events with the hub's seed and start time: the messages both publishers send. */
    private List<Mt5Event> simulate(Path dataDir) {
        Map<String, String> values = Map.of("rate", "0", "seed", Long.toString(SEED), "start-time", start,
                "data-dir", dataDir.toString());
        SimulatorSettings settings = SimulatorSettings.from(new ServerSettings(SERVER,
                key -> Optional.ofNullable(values.get(key.substring((ServerSettings.PREFIX + SERVER + ".").length())))));
        List<Mt5Event> stream = new ArrayList<>(events + 100);
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings)) {
            stream.addAll(simulator.takeEvents());
            while (stream.size() < events) {
                simulator.runActions(SimulatorGateway.FULL_SPEED_ACTIONS_PER_COMMIT); // as the gateway at full speed
                stream.addAll(simulator.takeEvents());
            }
        }
        return stream.subList(0, events);
    }

    private Optional<Double> postgresHub(Path work, Channel admin) throws Exception {
        String url = options.postgres();
        String user = options.postgresUser();
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (Exception e) {
            return Optional.empty();
        }
        try {
            String separator = url.contains("?") ? "&" : "?";
            return Optional.of(hub(work, url + separator + "currentSchema=" + schema, user, admin));
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** Runs the real hub (YAML routes, connectors) with only the RabbitMQ fan-out on and times its stream. */
    private double hub(Path work, String dbUrl, String dbUser, Channel admin) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("mt5.servers", SERVER);
        overrides.put("mt5.server." + SERVER + ".gateway", "simulator");
        overrides.put("mt5.server." + SERVER + ".rate", "0");
        overrides.put("mt5.server." + SERVER + ".seed", Long.toString(SEED));
        overrides.put("mt5.server." + SERVER + ".start-time", start);
        overrides.put("mt5.server." + SERVER + ".data-dir", work.toString());
        overrides.put("hub.db.url", dbUrl);
        overrides.put("hub.db.username", dbUser);
        overrides.put("hub.crm.store.enabled", "false");
        // the fan-out alone: no balance API or crm.balance.requests consumer taking other hubs' requests
        overrides.put("hub.balance.enabled", "false");
        overrides.put("hub.rabbitmq.uri", options.rabbitmq());
        overrides.put("hub.rabbitmq.exchange", exchange);
        overrides.put("hub.rabbitmq.declare-topology", "false");
        overrides.put("camel.server.enabled", "false");
        overrides.put("camel.management.enabled", "false");
        Main main = HubMain.newMain(overrides);
        main.start();
        try {
            long warmedUp = awaitCount(admin, options.warmUp());
            long done = awaitCount(admin, events);
            return (events - options.warmUp()) / ((done - warmedUp) / 1e9);
        } finally {
            main.stop();
        }
    }

    private long awaitCount(Channel admin, long count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(600);
        while (admin.queueDeclarePassive(queue).getMessageCount() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the hub did not publish " + count + " events within 10 minutes");
            }
            Thread.sleep(20); // polling the broker's queue length: the measurement's clock
        }
        return System.nanoTime();
    }
}

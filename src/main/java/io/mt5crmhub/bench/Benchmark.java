package io.mt5crmhub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.mt5crmhub.app.HubMain;
import io.mt5crmhub.bench.BenchmarkOptions.Part;
import io.mt5crmhub.bench.SinkProbe.Latencies;
import io.mt5crmhub.bench.SinkProbe.Sink;
import io.mt5crmhub.config.Secrets;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.gateway.simulator.SimulatorGateway;
import io.mt5crmhub.gateway.simulator.SimulatorSettings;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;
import io.mt5crmhub.rabbitmq.EventMessages;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.Main;

/**
 * {@code java -jar mt5-crm-hub.jar bench}: what the hub does at broker volume, in one run.
 * <ul>
 * <li>the reference: a plain pipelined amqp-client publisher sending the hub's messages to the same broker;</li>
 * <li>events/s of the real hub (simulator at full speed, the YAML routes and connectors) in three setups, on H2
 * then on PostgreSQL (skipped when unreachable): as shipped (every sink application.properties turns on when a
 * RabbitMQ URI is given: the CRM store and the RabbitMQ fan-out), the CRM store alone, the RabbitMQ fan-out alone;
 * each with this JVM's RSS and heap at its end;</li>
 * <li>the latency from the gateway's hand-over to each sink's done, as shipped on H2, at a fixed rate;</li>
 * <li>deals/s through the native gateway from the Manager API stand-in, beside a bare JNA callback
 * ({@link NativeBench}), when the stand-in is given; this part alone needs no broker.</li>
 * </ul>
 * Balance operations stay off in every run, so the hub takes no other hub's requests from the broker.
 */
public final class Benchmark {

    private static final String SERVER = "bench";
    private static final long SEED = 42;
    /** Polling the sinks' counts every 20 ms: the throughput measurement's clock. */
    private static final long POLL_MS = 20;
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    /** The latency run's first seconds are not recorded: hub start, the world's creation, the first back-fill. */
    private static final Duration LATENCY_WARMUP = Duration.ofSeconds(10);
    private static final double MB = 1024 * 1024;

    /** Which sinks a hub run has on. */
    enum Setup {
        SHIPPED("shipped: CRM store + RabbitMQ", EnumSet.of(Sink.CRM_STORE, Sink.RABBITMQ)),
        STORE_ALONE("CRM store alone", EnumSet.of(Sink.CRM_STORE)),
        RABBITMQ_ALONE("RabbitMQ fan-out alone", EnumSet.of(Sink.RABBITMQ)),
        REDIS_ALONE("Redis Streams fan-out alone", EnumSet.of(Sink.REDIS)),
        KAFKA_ALONE("Kafka fan-out alone", EnumSet.of(Sink.KAFKA));

        /** The setups the THROUGHPUT part runs on each database. */
        static final List<Setup> DATABASE_RUNS = List.of(SHIPPED, STORE_ALONE, RABBITMQ_ALONE);

        final String label;
        final Set<Sink> sinks;

        Setup(String label, Set<Sink> sinks) {
            this.label = label;
            this.sinks = sinks;
        }
    }

    private record Database(String name, String url, String user) {
    }

    /** This JVM's resident set and heap, in bytes; rss is -1 where /proc/self/status is missing. */
    private record Memory(long rss, long heapUsed, long heapLive) {
    }

    /** {@code recorded}: the events the publisher sent, one JSON event per line, for the replay gateway. */
    private record Reference(double simulator, double eventsPerAction, double publisher, Path recorded) {
    }

    /**
     * What stands in for MT5 in a throughput run. {@code RECORDED}: the replay gateway plays the events the reference
     * published (MT5 runs on a machine of its own; the hub still parses each event, as every gateway does).
     * {@code SIMULATED}: the simulator in the hub's JVM at full speed, its generation and H2 books on the hub's cores.
     */
    enum Feed {
        RECORDED("MT5 recorded"),
        SIMULATED("MT5 simulated in-process");

        final String label;

        Feed(String label) {
            this.label = label;
        }
    }

    /**
     * {@code finish}: which sink had all timed events last, and how many seconds before it the others did;
     * {@code problems}: what the figure does not show (a limit reached, failed events), or empty.
     */
    private record Throughput(Setup setup, Feed feed, String database, double eventsPerSecond, String finish,
                              Memory memory, String problems) {
    }

    /**
     * The back-fill run: {@code deals} made by MT5 before the hub started (in {@code generatedSeconds}), and the
     * seconds from the hub's start until both sinks had them all.
     */
    private record Backfill(String database, long deals, double generatedSeconds, double seconds, String finish,
                            Memory memory, String problems) {
    }

    /** MT5's history for the back-fill runs: {@code deals} in the simulator books in {@code books}. */
    private record History(Path books, Instant clockStart, long deals, double generatedSeconds) {
    }

    /** A run on a database the benchmark sets up. */
    private interface DatabaseRun<T> {
        T run(Database db) throws Exception;
    }

    /** {@code broker}: the plain publisher's publish-to-confirm latencies at the same rate, just before the hub's. */
    private record Latency(Setup setup, Feed feed, Latencies broker, Map<Sink, Latencies> sinks,
                           double handedOverPerSecond, Memory memory) {
        /** The worst sink's p99. */
        long p99() {
            return sinks.values().stream().mapToLong(l -> l.quantile(0.99)).max().orElse(0);
        }
    }

    /** A count a run polls: a sink's events so far. */
    private interface Count {
        long get() throws Exception;
    }

    private final BenchmarkOptions options;
    /** Warm-up and measured events: how many the simulator makes and each publisher sends. */
    private final int events;
    /**
     * The simulated clock's start, the same for the reference and the full-speed hub runs: near now, since the
     * hub's first back-fill reads only a day back from the wall clock.
     */
    private final String start;
    private final String exchange = "mt5.bench." + UUID.randomUUID().toString().substring(0, 8);
    private final String queue = exchange + ".events";
    private final BenchRedis redis;
    private final BenchKafka kafka;

    private Benchmark(BenchmarkOptions options, Instant start) {
        this.options = options;
        this.redis = new BenchRedis(options.redis(), exchange);
        this.kafka = new BenchKafka(options.kafka(), exchange);
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
        if (options.parts().contains(Part.NATIVE)) {
            // first, in a JVM no hub has run in yet: nothing of theirs collects or compiles beside it
            NativeBench.run(options.nativeLibrary(), options.nativeDeals(), System.out);
        }
        if (options.parts().stream().noneMatch(Part::needsBroker)) {
            return;
        }
        Path work = Files.createTempDirectory("mt5-hub-bench");
        System.out.printf("mt5-crm-hub benchmark: %d events timed after %d to warm up, %d cores, max heap %.0f MB,"
                + " RabbitMQ %s, work dir %s%n", options.measured(), options.warmUp(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / MB,
                Secrets.maskUrl(options.rabbitmq()), work);

        try {
            measureIn(work);
        } finally {
            deleteTree(work); // the books, stores and recordings of a whole run: hundreds of MB
        }
    }

    private void measureIn(Path work) throws Exception {
        ConnectionFactory factory = EventMessages.connectionFactory(options.rabbitmq());
        try (com.rabbitmq.client.Connection connection = factory.newConnection("mt5-crm-hub bench")) {
            Channel admin = connection.createChannel();
            admin.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false, true, Map.of());
            admin.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            admin.queueBind(queue, exchange, "#");
            try {
                Reference reference = reference(connection, work.resolve("reference"));
                System.out.printf("measured simulator alone: %s events/s, reference: %s events/s%n",
                        number(reference.simulator()), number(reference.publisher()));
                List<Throughput> runs = new ArrayList<>();
                boolean postgres = postgresReachable();
                if (options.parts().contains(Part.THROUGHPUT)) {
                    for (Setup setup : Setup.DATABASE_RUNS) {
                        runs.add(progress(h2Throughput(setup, Feed.RECORDED, reference, work, admin)));
                    }
                    runs.add(progress(h2Throughput(Setup.SHIPPED, Feed.SIMULATED, reference, work, admin)));
                    if (postgres) {
                        for (Setup setup : Setup.DATABASE_RUNS) {
                            runs.add(progress(inPostgresSchema(db -> throughput(setup, Feed.RECORDED, reference, db,
                                    work.resolve("pg-" + setup.name().toLowerCase()), admin))));
                        }
                    }
                }
                List<Setup> queues = new ArrayList<>();
                if (options.parts().contains(Part.SINKS)) {
                    queues.add(Setup.RABBITMQ_ALONE);
                    if (redis.reachable()) {
                        queues.add(Setup.REDIS_ALONE);
                    }
                    if (kafka.prepare()) {
                        queues.add(Setup.KAFKA_ALONE);
                    }
                    for (Setup setup : queues) {
                        boolean measured = runs.stream().anyMatch(run -> run.setup() == setup
                                && run.feed() == Feed.RECORDED && run.database().equals("H2"));
                        if (!measured) {
                            runs.add(progress(h2Throughput(setup, Feed.RECORDED, reference, work, admin)));
                        }
                    }
                }
                HubProcessRun.Result memory = options.parts().contains(Part.MEMORY)
                        ? memoryRun(reference, work.resolve("memory"), admin) : null;
                List<Latency> latencies = options.parts().contains(Part.LATENCY) || !queues.isEmpty()
                        ? latencies(work.resolve("latency"), connection, admin, queues) : List.of();
                List<Backfill> backfills = new ArrayList<>();
                if (options.parts().contains(Part.BACKFILL)) {
                    History history = history(work.resolve("backfill-mt5"));
                    Path h2Dir = work.resolve("backfill-h2");
                    backfills.add(backfillProgress(backfill(history, new Database("H2", "jdbc:h2:file:" + h2Dir.resolve("hub"),
                            "sa"), h2Dir, admin)));
                    if (postgres) {
                        backfills.add(backfillProgress(inPostgresSchema(db -> backfill(history, db,
                                work.resolve("backfill-pg"), admin))));
                    }
                }
                print(reference, runs, postgres, memory, latencies, backfills);
                if (options.parts().contains(Part.SINKS)) {
                    printQueues(reference, runs, latencies);
                }
            } finally {
                admin.queueDelete(queue);
                admin.exchangeDelete(exchange);
                redis.deleteRunData();
                if (options.parts().contains(Part.SINKS)) {
                    kafka.deleteRunData();
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * The hub as shipped on H2 in a process of its own ({@code java <--hub-java-options> -jar}, the working directory's
     * configuration), the replay gateway playing the reference's events at full speed: its RSS sampled until RabbitMQ,
     * the sink that finishes last, has every event; null when the benchmark does not run from the jar.
     */
    private HubProcessRun.Result memoryRun(Reference reference, Path dir, Channel admin) throws Exception {
        Path jar = HubProcessRun.ownJar();
        if (jar == null) {
            System.out.println("memory: skipped, the benchmark does not run from the jar");
            return null;
        }
        Files.createDirectories(dir);
        admin.queuePurge(queue);
        Map<String, String> env = new HashMap<>();
        env.put("MT5_SERVERS", SERVER);
        String server = "MT5_SERVER_" + SERVER.toUpperCase(java.util.Locale.ROOT) + "_";
        env.put(server + "GATEWAY", "replay");
        env.put(server + "FILE", reference.recorded().toString());
        env.put(server + "RATE", "0");
        env.put("HUB_DB_URL", "jdbc:h2:file:" + dir.resolve("hub"));
        env.put("HUB_MT5_OVERFLOW_DIRECTORY", dir.resolve("overflow").toString());
        env.put("HUB_RABBITMQ_URI", options.rabbitmq());
        env.put("HUB_RABBITMQ_EXCHANGE", exchange);
        env.put("HUB_RABBITMQ_DECLARE_TOPOLOGY", "false");
        env.put("HUB_BALANCE_ENABLED", "false");
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            env.put("HUB_HTTP_PORT", Integer.toString(free.getLocalPort()));
        }
        HubProcessRun.Result run = HubProcessRun.run(jar, options.hubJavaOptions(), env, dir.resolve("hub.log"), () -> {
            try {
                return admin.queueDeclarePassive(queue).getMessageCount();
            } catch (IOException e) {
                return 0;
            }
        }, events, DEADLINE);
        System.out.printf("measured memory: the hub's own process, max RSS %s MB%s%n", megabytes(run.maxRss()),
                run.reached() ? "" : " (it did not publish every event in time)");
        if (!run.reached()) {
            System.out.println(run.logTail());
        }
        return run;
    }

    private static Backfill backfillProgress(Backfill run) {
        System.out.printf("measured back-fill, %s: %,d deals in %.1f s %s%n", run.database(), run.deals(), run.seconds(),
                run.problems());
        return run;
    }

    private static Throughput progress(Throughput run) {
        System.out.printf("measured %s, %s, %s: %s events/s %s%n", run.database(), run.feed().label,
                run.setup().label, number(run.eventsPerSecond()), run.problems());
        return run;
    }

    private Throughput h2Throughput(Setup setup, Feed feed, Reference reference, Path work, Channel admin)
            throws Exception {
        Path dir = work.resolve("h2-" + setup.name().toLowerCase() + "-" + feed.name().toLowerCase());
        return throughput(setup, feed, reference, new Database("H2", "jdbc:h2:file:" + dir.resolve("hub"), "sa"), dir,
                admin);
    }

    /** The simulator alone, then the plain publisher sending its events; they are dropped before the hub runs. */
    private Reference reference(com.rabbitmq.client.Connection connection, Path dataDir) throws Exception {
        List<Mt5Event> stream = new ArrayList<>(events + 1000);
        int[] world = {-1};
        long t0 = System.nanoTime();
        long actions = simulate(dataDir, start, batch -> {
            if (world[0] < 0) {
                world[0] = batch.size(); // the world's creation
            }
            stream.addAll(batch);
            return stream.size() < events;
        });
        double eventsPerAction = (double) (stream.size() - world[0]) / actions;
        double simulator = events / ((System.nanoTime() - t0) / 1e9);
        List<Mt5Event> sent = stream.subList(0, events);
        double publisher = ReferencePublisher.publish(connection, exchange, sent, options.warmUp());
        return new Reference(simulator, eventsPerAction, publisher, record(sent, dataDir.resolve("events.jsonl")));
    }

    /** The events as the replay gateway's file: the event contract's JSON, one event per line. */
    private static Path record(List<Mt5Event> events, Path file) throws IOException {
        try (var out = Files.newBufferedWriter(file)) {
            for (Mt5Event event : events) {
                out.write(EventJson.write(event));
                out.newLine();
            }
        }
        return file;
    }

    /** The first {@code count} events of the seeded simulator at full speed (the same as the reference's). */
    private List<Mt5Event> simulatedEvents(Path dataDir, int count) throws Exception {
        List<Mt5Event> stream = new ArrayList<>(count + 1000);
        simulate(dataDir, start, batch -> {
            stream.addAll(batch);
            return stream.size() < count;
        });
        return stream.subList(0, count);
    }

    /**
     * The seeded simulator alone at full speed on the books in {@code books}, its clock from {@code startTime}
     * (as the gateway at full speed, a commit per {@link SimulatorGateway#FULL_SPEED_ACTIONS_PER_COMMIT} actions):
     * hands {@code take} each commit's events, the world's creation first, until it answers false.
     *
     * @return the actions run after the world's creation
     */
    private long simulate(Path books, String startTime, Predicate<List<Mt5Event>> take) throws Exception {
        SimulatorSettings settings = simulatorSettings(Map.of("rate", "0", "seed", Long.toString(SEED), "start-time",
                startTime, "data-dir", books.toString()));
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings)) {
            long first = simulator.actionCount();
            boolean more = take.test(simulator.takeEvents());
            while (more) {
                simulator.runActions(SimulatorGateway.FULL_SPEED_ACTIONS_PER_COMMIT);
                more = take.test(simulator.takeEvents());
            }
            return simulator.actionCount() - first;
        }
    }

    /** The bench server's simulator settings from {@code values} (keys without the mt5.server.bench. prefix). */
    private static SimulatorSettings simulatorSettings(Map<String, String> values) {
        return SimulatorSettings.from(new ServerSettings(SERVER,
                key -> Optional.ofNullable(values.get(key.substring((ServerSettings.PREFIX + SERVER + ".").length())))));
    }

    private boolean postgresReachable() {
        try (Connection c = DriverManager.getConnection(options.postgres(), options.postgresUser(), "")) {
            return c.isValid(5);
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs {@code run} on a fresh PostgreSQL schema of its own, dropped after it. */
    private <T> T inPostgresSchema(DatabaseRun<T> run) throws Exception {
        String url = options.postgres();
        String user = options.postgresUser();
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try {
            String separator = url.contains("?") ? "&" : "?";
            return run.run(new Database("PostgreSQL", url + separator + "currentSchema=" + schema, user));
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /**
     * The hub at full speed with {@code setup}'s sinks: timed from the moment every sink has the warm-up events to
     * the moment every sink has all timed events. RabbitMQ's count is the queue's length (messages confirmed), the
     * CRM store's the events it applied ({@link SinkProbe}).
     */
    private Throughput throughput(Setup setup, Feed feed, Reference reference, Database db, Path dataDir,
            Channel admin) throws Exception {
        admin.queuePurge(queue);
        System.gc(); // the runs before leave no garbage in this one's heap figures
        SinkProbe probe = new SinkProbe();
        Main main = startHub(setup, db, dataDir, feed == Feed.RECORDED ? replay(reference.recorded())
                : simulator(dataDir, 0, start), probe);
        try {
            Map<Sink, Count> counts = new EnumMap<>(Sink.class);
            for (Sink sink : setup.sinks) {
                counts.put(sink, sink == Sink.RABBITMQ ? () -> admin.queueDeclarePassive(queue).getMessageCount()
                        : () -> probe.applied(sink));
            }
            Map<Sink, Long> warmedUp = awaitAll(counts, options.warmUp());
            if (warmedUp.size() < counts.size()) {
                return new Throughput(setup, feed, db.name(), Double.NaN, "", memory(), problems(probe, setup.sinks,
                        "the warm-up did not end within " + DEADLINE.toMinutes() + " minutes"));
            }
            long timedFrom = latest(warmedUp);
            Map<Sink, Long> done = awaitAll(counts, events);
            if (done.size() < counts.size()) {
                // the limit is up: the slowest sink's rate over the timed events it has applied so far
                double seconds = (System.nanoTime() - timedFrom) / 1e9;
                double rate = Double.MAX_VALUE;
                for (Map.Entry<Sink, Count> count : counts.entrySet()) {
                    if (!done.containsKey(count.getKey())) {
                        rate = Math.min(rate, (count.getValue().get() - options.warmUp()) / seconds);
                    }
                }
                return new Throughput(setup, feed, db.name(), rate, "", memory(), problems(probe, setup.sinks,
                        "not every sink had the timed events within " + DEADLINE.toMinutes() + " minutes: the"
                        + " slowest one's rate so far"));
            }
            double seconds = (latest(done) - timedFrom) / 1e9;
            return new Throughput(setup, feed, db.name(), options.measured() / seconds, finish(done), memory(),
                    problems(probe, setup.sinks, ""));
        } finally {
            main.stop();
        }
    }

    /**
     * The plain publisher alone at {@code --latency-rate}, then the hub as shipped on H2 fed at that rate, first by the
     * replay gateway playing the seeded simulator's events (MT5 on a machine of its own), then by the simulator in the
     * hub's JVM.
     */
    private List<Latency> latencies(Path dataDir, com.rabbitmq.client.Connection connection, Channel admin,
            List<Setup> queues) throws Exception {
        int rate = options.latencyRate();
        // the untimed seconds, the window, and some to spare: the run waits for an event handed over after the window
        int count = (int) (rate * (LATENCY_WARMUP.toSeconds() + 10)) + options.latencyEvents();
        List<Mt5Event> stream = simulatedEvents(dataDir.resolve("mt5"), count);
        admin.queuePurge(queue);
        // a CRM reading the queue as fast as it fills, as in production: a quorum queue nobody reads keeps every
        // message and writes it out in segments, which stalled its confirms for up to 2 s in these runs
        Channel crm = connection.createChannel();
        crm.basicConsume(queue, true, (tag, delivery) -> { }, tag -> { });
        try {
            Latencies broker = new Latencies(ReferencePublisher.confirmLatencies(connection, exchange,
                    stream.subList(0, options.latencyEvents()), rate));
            System.out.printf("measured plain publisher at %d messages/s: p99 %s ms from publish to confirm%n", rate,
                    millis(broker.quantile(0.99)));
            Path recorded = record(stream, dataDir.resolve("events.jsonl"));
            stream = null; // not held during the hub runs
            List<Latency> runs = new ArrayList<>();
            Map<String, String> replayed = Map.of("gateway", "replay", "file", recorded.toString(), "rate",
                    Integer.toString(rate));
            if (options.parts().contains(Part.LATENCY)) {
                Path simulated = dataDir.resolve("simulated");
                // a fresh simulated clock: its distance from the wall clock at the window's start is the hub's start
                runs.add(latency(Setup.SHIPPED, Feed.SIMULATED, broker, simulated, admin, simulator(simulated, rate,
                        Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())));
                // second: with --parts LATENCY alone, the first hub run of this JVM still has the JIT compiling
                runs.add(latency(Setup.SHIPPED, Feed.RECORDED, broker, dataDir.resolve("recorded"), admin, replayed));
            }
            for (Setup setup : queues) {
                runs.add(latency(setup, Feed.RECORDED, broker, dataDir.resolve(setup.name().toLowerCase()), admin,
                        replayed));
            }
            return runs;
        } finally {
            crm.close();
        }
    }

    /**
     * The hub as shipped on H2, {@code mt5} handing it {@code --latency-rate} events/s. After {@link #LATENCY_WARMUP},
     * every event handed to the hub is recorded until each sink has {@code --latency-events}; then those handed
     * over later are not, and the run waits until each sink has applied one of them, so the slow tail of the window
     * is in.
     */
    private Latency latency(Setup setup, Feed feed, Latencies broker, Path dataDir, Channel admin,
            Map<String, String> mt5) throws Exception {
        System.gc();
        SinkProbe probe = new SinkProbe();
        Database h2 = new Database("H2", "jdbc:h2:file:" + dataDir.resolve("hub"), "sa");
        Set<Sink> sinks = setup.sinks;
        Main main = startHub(setup, h2, dataDir, mt5, probe);
        try {
            Thread.sleep(LATENCY_WARMUP.toMillis());
            long from = SinkProbe.epochNanos();
            probe.openWindow(from);
            Instant deadline = Instant.now().plus(DEADLINE);
            while (sinks.stream().anyMatch(sink -> probe.recorded(sink) < options.latencyEvents())) {
                pause(deadline, "every sink to apply " + options.latencyEvents() + " events at the fixed rate");
            }
            long to = SinkProbe.epochNanos();
            probe.closeWindow(to);
            while (sinks.stream().anyMatch(sink -> probe.latestReceivedAt(sink) < to)) {
                pause(deadline, "every sink to apply the events of the latency window");
            }
            Thread.sleep(1000); // RabbitMQ's exchanges complete out of order (20 in flight): the last confirms
            Map<Sink, Latencies> latencies = new EnumMap<>(Sink.class);
            for (Sink sink : sinks) {
                latencies.put(sink, probe.latencies(sink));
            }
            double handedOver = latencies.get(sinks.iterator().next()).count() / ((to - from) / 1e9);
            Latency run = new Latency(setup, feed, broker, latencies, handedOver, memory());
            System.out.printf("measured latency, %s, %s: p99 %s ms%n", setup.label, feed.label, millis(run.p99()));
            return run;
        } finally {
            main.stop();
        }
    }

    /**
     * MT5's history for the back-fill runs: the seeded simulator at full speed, with no hub, until it has made {@code
     * --backfill-deals} deals, its clock starting a day back (less ten minutes, so that all of them fall in the
     * hub's first back-fill, which reads a day back).
     */
    private History history(Path books) throws Exception {
        Instant clockStart = Instant.now().minus(Duration.ofDays(1)).plus(Duration.ofMinutes(10))
                .truncatedTo(ChronoUnit.SECONDS);
        long t0 = System.nanoTime();
        long[] deals = {0};
        simulate(books, clockStart.toString(), batch -> {
            for (Mt5Event event : batch) {
                if (event.entity() == EntityType.DEAL) {
                    deals[0]++;
                }
            }
            return deals[0] < options.backfillDeals();
        });
        double generated = (System.nanoTime() - t0) / 1e9;
        System.out.printf("measured back-fill: MT5 made %,d deals in %.0f s%n", deals[0], generated);
        return new History(books, clockStart, deals[0], generated);
    }

    /**
     * The hub as shipped on {@code db} starts on a copy of {@code history}'s books (the simulator now at 1 event/s)
     * and back-fills; timed from its start until both sinks have every deal.
     */
    private Backfill backfill(History history, Database db, Path dataDir, Channel admin) throws Exception {
        Files.createDirectories(dataDir);
        try (Stream<Path> files = Files.list(history.books())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, dataDir.resolve(file.getFileName()));
            }
        }
        long deals = history.deals();
        admin.queuePurge(queue);
        System.gc();
        SinkProbe probe = new SinkProbe();
        long started = System.nanoTime();
        Main main = startHub(Setup.SHIPPED, db, dataDir, simulator(dataDir, 1, history.clockStart().toString()), probe);
        try {
            Instant deadline = Instant.now().plus(DEADLINE);
            Map<Sink, Long> done = new EnumMap<>(Sink.class);
            while (done.size() < Setup.SHIPPED.sinks.size() && Instant.now().isBefore(deadline)) {
                for (Sink sink : Setup.SHIPPED.sinks) {
                    if (!done.containsKey(sink) && probe.appliedDeals(sink) >= deals) {
                        done.put(sink, System.nanoTime());
                    }
                }
                Thread.sleep(POLL_MS);
            }
            long end = done.size() == Setup.SHIPPED.sinks.size() ? latest(done) : System.nanoTime();
            double seconds = (end - started) / 1e9;
            long store = probe.appliedDeals(Sink.CRM_STORE);
            long rabbit = probe.appliedDeals(Sink.RABBITMQ);
            String note = store >= deals && rabbit >= deals ? ""
                    : String.format("not done within %d minutes: CRM store %,d, RabbitMQ %,d deals", DEADLINE.toMinutes(),
                            store, rabbit);
            return new Backfill(db.name(), deals, history.generatedSeconds(), seconds, finish(done), memory(),
                    problems(probe, Setup.SHIPPED.sinks, note));
        } finally {
            main.stop();
        }
    }

    /** Runs the real hub (YAML routes, connectors) with {@code setup}'s sinks and the probe bound in its registry. */
    private Main startHub(Setup setup, Database db, Path dataDir, Map<String, String> mt5, SinkProbe probe)
            throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("mt5.servers", SERVER);
        mt5.forEach((key, value) -> overrides.put("mt5.server." + SERVER + "." + key, value));
        // each run's sink overflow beside its simulator books, not in the working directory
        overrides.put("hub.mt5.overflow-directory", dataDir.resolve("overflow").toString());
        overrides.put("hub.db.url", db.url());
        overrides.put("hub.db.username", db.user());
        // shipped: the CRM store as application.properties has it (on), RabbitMQ on by its URI
        if (setup != Setup.SHIPPED) {
            overrides.put("hub.crm.store.enabled", Boolean.toString(setup.sinks.contains(Sink.CRM_STORE)));
        }
        overrides.put("hub.rabbitmq.uri", setup.sinks.contains(Sink.RABBITMQ) ? options.rabbitmq() : "");
        overrides.put("hub.redis.uri", setup.sinks.contains(Sink.REDIS) ? options.redis() : "");
        overrides.putAll(redis.hubSettings());
        overrides.put("hub.kafka.bootstrap-servers", setup.sinks.contains(Sink.KAFKA) ? options.kafka() : "");
        overrides.putAll(kafka.hubSettings());
        // no balance API or crm.balance.requests consumer taking other hubs' requests from the broker
        overrides.put("hub.balance.enabled", "false");
        overrides.put("hub.rabbitmq.exchange", exchange);
        overrides.put("hub.rabbitmq.declare-topology", "false");
        overrides.put("camel.server.enabled", "false");
        overrides.put("camel.management.enabled", "false");
        Main main = HubMain.newMain(overrides);
        main.bind("benchSinkNotifier", probe.notifier());
        main.bind("benchSinkPolicies", probe.policyFactory());
        main.start();
        Set<Sink> started = startedSinks(main.getCamelContext());
        if (!started.equals(setup.sinks)) {
            main.stop();
            throw new IllegalStateException("the " + setup.label + " run needs the sinks " + setup.sinks
                    + " on, the hub started " + started + " (application.properties in the working directory?)");
        }
        return main;
    }

    /** The bench server's settings for the seeded simulator in the hub's JVM at {@code rate} events/s (0: full speed). */
    private static Map<String, String> simulator(Path dataDir, int rate, String startTime) {
        return Map.of("gateway", "simulator", "rate", Integer.toString(rate), "seed", Long.toString(SEED),
                "start-time", startTime, "data-dir", dataDir.toString());
    }

    /** The bench server's settings for the replay gateway playing {@code file} as fast as the hub takes it. */
    private static Map<String, String> replay(Path file) {
        return Map.of("gateway", "replay", "file", file.toString(), "rate", "0");
    }

    private static Set<Sink> startedSinks(CamelContext context) {
        Set<Sink> started = EnumSet.noneOf(Sink.class);
        for (Route route : context.getRoutes()) {
            Sink sink = Sink.of(route.getRouteId());
            if (sink != null && context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                started.add(sink);
            }
        }
        return started;
    }

    /**
     * Polls until every count reaches {@code target}, for {@link #DEADLINE} at most; @return when each did
     * (System.nanoTime), without the sinks that did not
     */
    private static Map<Sink, Long> awaitAll(Map<Sink, Count> counts, long target) throws Exception {
        Map<Sink, Long> reached = new EnumMap<>(Sink.class);
        Instant deadline = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            for (Map.Entry<Sink, Count> count : counts.entrySet()) {
                if (!reached.containsKey(count.getKey()) && count.getValue().get() >= target) {
                    reached.put(count.getKey(), System.nanoTime());
                }
            }
            if (reached.size() == counts.size()) {
                break;
            }
            Thread.sleep(POLL_MS);
        }
        return reached;
    }

    private static void pause(Instant deadline, String what) throws InterruptedException {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("waited " + DEADLINE.toMinutes() + " minutes for " + what);
        }
        Thread.sleep(POLL_MS);
    }

    private static long latest(Map<Sink, Long> times) {
        return times.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /** With several sinks: the one done last, and how long before it each other one was. */
    private static String finish(Map<Sink, Long> done) {
        if (done.size() < 2) {
            return "";
        }
        long last = latest(done);
        Sink lastSink = done.entrySet().stream().filter(e -> e.getValue() == last).findFirst().orElseThrow().getKey();
        return lastSink.label + " last" + done.entrySet().stream().filter(e -> e.getKey() != lastSink)
                .map(e -> String.format(", %s %.1f s before", e.getKey().label, (last - e.getValue()) / 1e9))
                .collect(Collectors.joining());
    }

    /** What a run's figure does not show: {@code note}, and the events a sink failed or dead-lettered. */
    private static String problems(SinkProbe probe, Set<Sink> sinks, String note) {
        return Stream.concat(Stream.of(note).filter(n -> !n.isEmpty()), sinks.stream()
                .filter(sink -> probe.failed(sink) > 0)
                .map(sink -> sink.label + ": " + probe.failed(sink) + " events failed or dead-lettered"))
                .collect(Collectors.joining("; "));
    }

    /** This JVM's RSS (/proc/self/status VmRSS), its heap used, and its heap used after a full GC. */
    private static Memory memory() {
        long rss = HubProcessRun.rss("self");
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Memory(rss, used, live);
    }

    private void print(Reference reference, List<Throughput> runs, boolean postgres, HubProcessRun.Result memory,
                       List<Latency> latencies,
                       List<Backfill> backfills) {
        String row = "%-68s %9s %7s  %-38s %6s %5s %5s%n";
        System.out.println();
        System.out.printf("throughput: events/s over the %,d timed events (a run with several sinks ends when every"
                + " sink has them all)%n", options.measured());
        System.out.printf(row, "measured", "events/s", "of ref", "sinks done", "RSS MB", "heap", "live");
        System.out.printf(row, "simulator alone (generation and its H2 books)", number(reference.simulator()), "", "",
                "", "", "");
        System.out.printf(row, "reference: plain amqp-client, 1000 confirms in flight",
                number(reference.publisher()), "100%", "", "", "", "");
        for (Throughput run : runs) {
            System.out.printf(row, "hub, " + run.database() + ", " + run.feed().label + ", " + run.setup().label,
                    number(run.eventsPerSecond()),
                    percent(run.eventsPerSecond() / reference.publisher()), run.finish(), megabytes(run.memory().rss()),
                    megabytes(run.memory().heapUsed()), megabytes(run.memory().heapLive()));
        }
        if (!postgres) {
            System.out.println("hub, PostgreSQL: skipped, " + Secrets.maskUrl(options.postgres())
                    + " is not reachable");
        }
        runs.stream().filter(run -> !run.problems().isEmpty()).forEach(run -> System.out.println(
                "  " + run.database() + ", " + run.feed().label + ", " + run.setup().label + ": " + run.problems()));
        System.out.println("  MT5 recorded: the replay gateway plays the events the reference published (MT5 on a"
                + " machine of its own); MT5 simulated in-process: the simulator at full speed in the hub's JVM");

        if (memory != null) {
            System.out.println();
            System.out.printf("memory: the hub as shipped on H2 in a process of its own (java %s -jar), MT5 recorded at"
                    + " full speed: %,d events in %.1f s (start included); RSS at most %s MB, %s MB at the end%s%n",
                    String.join(" ", options.hubJavaOptions()), events, memory.seconds(), megabytes(memory.maxRss()),
                    megabytes(memory.endRss()), memory.reached() ? "" : "; it did not publish every event in time");
        }
        latencies.forEach(latency -> printLatency(reference, latency));
        if (!backfills.isEmpty()) {
            System.out.println();
            System.out.printf("back-fill: MT5 made %,d deals (in %.0f s) while no hub ran; the hub as shipped then"
                    + " started and read them from MT5's history, timed until every deal was in the CRM store and in"
                    + " RabbitMQ%n", backfills.get(0).deals(), backfills.get(0).generatedSeconds());
            for (Backfill backfill : backfills) {
                System.out.printf("  %-10s %7.1f s  %8s deals/s  %s; RSS %s MB, heap %s MB, live %s MB at the end%s%n",
                        backfill.database(), backfill.seconds(), number(backfill.deals() / backfill.seconds()),
                        backfill.finish(),
                        megabytes(backfill.memory().rss()), megabytes(backfill.memory().heapUsed()),
                        megabytes(backfill.memory().heapLive()),
                        backfill.problems().isEmpty() ? "" : "; " + backfill.problems());
            }
            // what no publisher could beat: the plain one alone, at this run's rate, with nothing else to do
            System.out.printf("  reference    %7.1f s  %8s msg/s   the plain publisher alone, at its rate measured in"
                    + " this run, for as many messages (%.2f x the hub's back-fill rate on H2)%n",
                    backfills.get(0).deals() / reference.publisher(), number(reference.publisher()),
                    reference.publisher() / (backfills.get(0).deals() / backfills.get(0).seconds()));
        }
        System.out.println();
        System.out.println("targets");
        for (Throughput run : runs) {
            if (run.feed() != Feed.RECORDED) {
                continue; // the targets compare the hub with a publisher whose messages are made before it is timed
            }
            double share = run.eventsPerSecond() / reference.publisher();
            if (run.setup() == Setup.SHIPPED) {
                System.out.printf("  %-62s %-20s %s%n", "shipped, " + run.database() + ": >= 0.80 x reference (0.60"
                        + " at least)", String.format("%.2f x", share),
                        share >= 0.80 ? "holds" : share >= 0.60 ? "0.60 holds, 0.80 missed" : "missed");
            } else if (run.setup() == Setup.STORE_ALONE) {
                int target = run.database().equals("H2") ? 25_000 : 15_000;
                System.out.printf("  %-62s %-20s %s%n", "CRM store alone, " + run.database() + ": >= "
                        + number(target) + " events/s", number(run.eventsPerSecond()) + "/s",
                        run.eventsPerSecond() >= target ? "holds" : "missed");
            }
        }
        for (Latency latency : latencies) {
            if (latency.feed() != Feed.RECORDED || latency.setup() != Setup.SHIPPED) {
                continue;
            }
            long p99 = latency.p99();
            String rate = latency.handedOverPerSecond() < 0.95 * 2000 ? " (below 2,000 events/s)" : "";
            System.out.printf("  %-62s %-20s %s%n", "p99 <= 50 ms at 2,000 events/s, every default sink on",
                    millis(p99) + " ms" + rate, p99 <= 50_000_000L && rate.isEmpty() ? "holds" : "missed");
        }
        for (Backfill backfill : backfills) {
            boolean all = backfill.problems().isEmpty();
            System.out.printf("  %-62s %-20s %s%n", "1M deals back-filled, store + RabbitMQ, " + backfill.database()
                    + ": <= 60 s", String.format("%,d in %.1f s", backfill.deals(), backfill.seconds()),
                    all && backfill.deals() >= 1_000_000 && backfill.seconds() <= 60 ? "holds"
                            : backfill.deals() / reference.publisher() > 60 ? "missed; out of reach on this machine:"
                            + " the reference alone needs " + String.format("%.0f s", backfill.deals()
                            / reference.publisher()) : "missed");
        }
        if (memory != null) {
            // the hub in a process of its own: the runs in this JVM also count what the benchmark itself holds
            System.out.printf("  %-62s %-20s %s%n", "RSS <= 400 MB, the hub's own process, "
                    + String.join(" ", options.hubJavaOptions()), "max " + megabytes(memory.maxRss()) + " MB",
                    !memory.reached() ? "unknown" : memory.maxRss() <= 400 * MB ? "holds" : "missed");
        }
    }

    /** Each queue sink alone, side by side: what docs/benchmarks.md's choice of queue rests on. */
    private void printQueues(Reference reference, List<Throughput> runs, List<Latency> latencies) {
        System.out.println();
        System.out.printf("queue sinks: each alone, the hub on H2, MT5 recorded; events/s at full speed, latency at %d"
                + " events/s from the hand-over to the sink's done%n", options.latencyRate());
        String row = "%-16s %9s %7s %9s %9s %9s%n";
        System.out.printf(row, "sink", "events/s", "of ref", "p50 ms", "p99 ms", "max ms");
        for (Throughput run : runs) {
            if (run.database().equals("H2") && run.feed() == Feed.RECORDED && run.setup().sinks.size() == 1
                    && run.setup() != Setup.STORE_ALONE) {
                Sink sink = run.setup().sinks.iterator().next();
                Latencies l = latencies.stream().filter(x -> x.setup() == run.setup()).findFirst()
                        .map(x -> x.sinks().get(sink)).orElse(null);
                System.out.printf(row, sink.label, number(run.eventsPerSecond()),
                        percent(run.eventsPerSecond() / reference.publisher()),
                        l == null ? "n/a" : millis(l.quantile(0.50)), l == null ? "n/a" : millis(l.quantile(0.99)),
                        l == null ? "n/a" : millis(l.max()));
            }
        }
        latencies.stream().filter(l -> l.setup() != Setup.SHIPPED).findFirst().ifPresent(l -> System.out.printf(row,
                "reference", number(reference.publisher()), "100%", millis(l.broker().quantile(0.50)),
                millis(l.broker().quantile(0.99)), millis(l.broker().max())));
        System.out.println("  reference: the plain amqp-client publisher to RabbitMQ (events/s with 1000 confirms in"
                + " flight; latency from publish to confirm at the same rate)");
    }

    private void printLatency(Reference reference, Latency latency) {
        System.out.println();
        System.out.printf("latency: hub on H2, %s, %s at %d events/s (%,.0f events/s handed over in the"
                + " window), from the gateway's hand-over to the sink's done%n", latency.setup().label,
                latency.feed().label,
                options.latencyRate(), latency.handedOverPerSecond());
        String latencyRow = "%-12s %8s %9s %9s %9s %15s%n";
        System.out.printf(latencyRow, "sink", "events", "p50 ms", "p99 ms", "max ms", "queued p50/p99");
        latency.sinks().forEach((sink, l) -> System.out.printf(latencyRow, sink.label, number(l.count()),
                millis(l.quantile(0.50)), millis(l.quantile(0.99)), millis(l.max()),
                millis(l.waitQuantile(0.50)) + " / " + millis(l.waitQuantile(0.99))));
        Latencies broker = latency.broker();
        System.out.printf(latencyRow, "reference", number(broker.count()), millis(broker.quantile(0.50)),
                millis(broker.quantile(0.99)), millis(broker.max()), "");
        System.out.println("  queued: from the hand-over to the sink route's start, in the consumer's queue");
        System.out.printf("  reference: the plain publisher alone (no hub running) publishing the same messages at %d"
                + " messages/s to the same queue just before, from each publish to its confirm%n", options.latencyRate());
        System.out.printf("RSS %s MB, heap %s MB, live %s MB at the end%n", megabytes(latency.memory().rss()),
                megabytes(latency.memory().heapUsed()), megabytes(latency.memory().heapLive()));
        Latencies clock = latency.sinks().get(Sink.CRM_STORE);
        if (latency.feed() == Feed.SIMULATED && clock != null && clock.firstOccurredAt() != null
                && clock.lastReceivedAt() > clock.firstReceivedAt()) {
            double wall = (clock.lastReceivedAt() - clock.firstReceivedAt()) / 1e9;
            double simulated = Duration.between(clock.firstOccurredAt(), clock.lastOccurredAt()).toNanos() / 1e9;
            System.out.printf("MT5 time: the simulator's clock (occurredAt) moved %.2f s per wall-clock second in the"
                    + " window (%d ms per action at this rate, %.2f events per action); occurredAt was %.1f s behind"
                    + " the hand-over at the window's start, %.1f s at its end%n", simulated / wall,
                    simulatorSettings(Map.of("rate", Integer.toString(options.latencyRate()))).tick().toMillis(),
                    reference.eventsPerAction(), behind(clock.firstReceivedAt(), clock.firstOccurredAt()),
                    behind(clock.lastReceivedAt(), clock.lastOccurredAt()));
        }

    }

    /** Seconds the MT5 time is behind the wall-clock hand-over (negative: ahead). */
    private static double behind(long receivedAt, Instant occurredAt) {
        long occurred = occurredAt.getEpochSecond() * 1_000_000_000L + occurredAt.getNano();
        return (receivedAt - occurred) / 1e9;
    }

    static String number(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%,.0f", value);
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format("%.0f%%", 100 * share);
    }

    private static String millis(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.0f", bytes / MB);
    }
}

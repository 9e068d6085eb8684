package io.mt5crmhub.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.mt5crmhub.bench.Benchmark;
import io.mt5crmhub.bench.BenchmarkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bench}: the hub's events/s per sink setup and its latency, next to a plain publisher ({@link Benchmark}). */
@Command(name = "bench", description = {"Measure the hub as shipped, each sink alone, its latency and its back-fill.",
    "In one run: a plain amqp-client publisher (the reference); the hub at full speed as shipped (CRM store +"
            + " RabbitMQ fan-out), with the CRM store alone and with the RabbitMQ fan-out alone, on H2 and then on"
            + " PostgreSQL when reachable, each with events/s, its share of the reference, RSS and heap; then the"
            + " latency from the gateway's hand-over to each sink's done (p50, p99, max) as shipped on H2 at a fixed"
            + " rate, beside a plain publisher's publish-to-confirm latency at that rate; then the time the hub as"
            + " shipped takes to back-fill a long MT5 history (1,000,000 deals) into both sinks; then each queue sink"
            + " alone (RabbitMQ, Redis Streams when reachable, Kafka when given), events/s and latency side by side;"
            + " first, the native gateway's deals/s from the Manager API stand-in given by --native-library, beside a"
            + " bare JNA callback's (NATIVE, skipped without it; alone it needs no broker). Balance operations"
            + " stay off. Reads routes/ and connectors/ from the working directory."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:measured", "1:the benchmark failed",
            RunCommand.MISSING_FOLDER_EXIT})
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;
    private final Path workingDirectory;

    @Option(names = "--events", paramLabel = "N", defaultValue = "100000",
            description = "events timed after the warm-up (${DEFAULT-VALUE})")
    private int events;

    // the JIT compiles the hub's paths for about 20 s after its start (measured with jstat -compiler: half a core
    // of C2 until about 300k events); both publishers are timed over the same events after the same warm-up
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "200000",
            description = "events sent first, untimed, while the JIT compiles (${DEFAULT-VALUE})")
    private int warmUp;

    @Option(names = "--rabbitmq", paramLabel = "URI", defaultValue = "amqp://guest:guest@127.0.0.1:5672/",
            description = "the broker both publishers send to (${DEFAULT-VALUE})")
    private String rabbitmq;

    @Option(names = "--postgres", paramLabel = "JDBC-URL", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test",
            description = "PostgreSQL for the second set of hub runs, skipped when not reachable (${DEFAULT-VALUE})")
    private String postgres;

    @Option(names = "--postgres-user", paramLabel = "USER", defaultValue = "postgres",
            description = "its user, without a password (${DEFAULT-VALUE})")
    private String postgresUser;

    @Option(names = "--redis", paramLabel = "URI", defaultValue = "redis://127.0.0.1:6379",
            description = "Redis for the Redis Streams sink's runs, skipped when not reachable; streams and keys of"
                    + " the run are deleted at its end (${DEFAULT-VALUE})")
    private String redis;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", defaultValue = "",
            description = "Kafka bootstrap servers for the Kafka sink's runs, skipped when not given; the run's"
                    + " topics are created before and deleted after it")
    private String kafka;

    // the simulator's rate counts events (its pacer spends one token per event delivered), not actions
    @Option(names = "--latency-rate", paramLabel = "EVENTS/S", defaultValue = "2000",
            description = "events per second the simulator makes for the latency run (${DEFAULT-VALUE})")
    private int latencyRate;

    @Option(names = "--latency-events", paramLabel = "N", defaultValue = "60000",
            description = "events per sink whose latency is recorded, after 10 s untimed (${DEFAULT-VALUE})")
    private int latencyEvents;

    @Option(names = "--backfill-deals", paramLabel = "N", defaultValue = "1000000",
            description = "deals MT5 makes before the hub starts, for the back-fill run (${DEFAULT-VALUE})")
    private int backfillDeals;

    @Option(names = "--native-library", paramLabel = "PATH", defaultValue = "",
            description = "the Manager API stand-in the NATIVE part drives (target/native/libmt5stub.so, built by mvn"
                    + " generate-test-resources); without it, or with a library lacking the stand-in's stub_* control"
                    + " exports, the part says it is skipped")
    private String nativeLibrary;

    @Option(names = "--native-deals", paramLabel = "N", defaultValue = "100000",
            description = "deals per burst of the NATIVE part, each side timed over one after "
                    + "3 untimed (${DEFAULT-VALUE})")
    private int nativeDeals;

    @Option(names = "--parts", paramLabel = "PART", split = ",",
            defaultValue = "THROUGHPUT,LATENCY,BACKFILL,MEMORY,SINKS,NATIVE",
            description = "what to measure, of ${COMPLETION-CANDIDATES} (${DEFAULT-VALUE}); the plain publisher"
                    + " (the reference) is measured with any part but NATIVE, which has its own")
    private java.util.EnumSet<BenchmarkOptions.Part> parts;

    // the options docs/operations.md recommends for the hub
    @Option(names = "--hub-java-options", paramLabel = "OPTIONS",
            defaultValue = "-Xms160m -Xmn80m -Xmx512m -XX:+UseSerialGC -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40",
            description = "the JVM options of the memory run's hub process (${DEFAULT-VALUE})")
    private String hubJavaOptions;

    BenchCommand(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    @Override
    public Integer call() {
        // the NATIVE part alone runs no hub: it reads neither routes/ nor connectors/
        boolean hubRuns = !parts.equals(java.util.EnumSet.of(BenchmarkOptions.Part.NATIVE));
        if (hubRuns && RunCommand.reportedMissingFolder(workingDirectory, spec.commandLine().getErr())) {
            return 2;
        }
        if (latencyRate < 1 || latencyEvents < 1 || backfillDeals < 1 || nativeDeals < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--latency-rate, --latency-events, --backfill-deals and --native-deals must be at least 1");
        }
        return Benchmark.run(new BenchmarkOptions(events, warmUp, rabbitmq, postgres, postgresUser, redis, kafka, latencyRate,
                latencyEvents, backfillDeals, parts, java.util.List.of(hubJavaOptions.trim().split("\\s+")),
                nativeLibrary.trim(), nativeDeals));
    }
}

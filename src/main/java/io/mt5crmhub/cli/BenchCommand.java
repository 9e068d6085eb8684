package io.mt5crmhub.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.mt5crmhub.bench.Benchmark;
import io.mt5crmhub.bench.BenchmarkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: the RabbitMQ fan-out's events/s next to a plain publisher's (see {@link Benchmark}). */
@Command(name = "bench", description = {"Measure the RabbitMQ fan-out against a plain publisher.",
    "Times the hub (simulator at full speed, clientId enrichment, idempotency on H2, then on PostgreSQL when"
            + " reachable, publishing with confirms) next to a plain amqp-client publisher sending the same messages"
            + " to the same broker, in one run. Reads routes/ and connectors/ from the working directory."},
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
            description = "PostgreSQL for the second hub run, skipped when not reachable (${DEFAULT-VALUE})")
    private String postgres;

    @Option(names = "--postgres-user", paramLabel = "USER", defaultValue = "postgres",
            description = "its user, without a password (${DEFAULT-VALUE})")
    private String postgresUser;

    BenchCommand(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    @Override
    public Integer call() {
        if (RunCommand.reportedMissingFolder(workingDirectory, spec.commandLine().getErr())) {
            return 2;
        }
        return Benchmark.run(new BenchmarkOptions(events, warmUp, rabbitmq, postgres, postgresUser));
    }
}

package io.mt5crmhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The jar's command line: the hub's own usage, run by default, exit 2 with usage on a wrong command line. */
class HubCliTest {

    private static final String USAGE = "Usage: java -jar mt5-crm-hub.jar";

    @TempDir
    Path workingDirectory;
    private final AtomicInteger hubRuns = new AtomicInteger();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void layOutTheWorkingDirectory() throws Exception {
        Files.createDirectories(workingDirectory.resolve("routes"));
        Files.createDirectories(workingDirectory.resolve("connectors"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpListsTheHubsCommands(String help) {
        int exit = execute(help);

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith(USAGE + " [-hV] [COMMAND]")
                .contains("run", "bench", "reconcile", "dead-letters", "simulator")
                .doesNotContain("Apache Camel");
        assertThat(err.toString()).isEmpty();
        assertThat(hubRuns).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void eachCommandPrintsItsOwnUsageAndOptions(String help) {
        assertHelp(List.of("run", help), "Start the hub", "routes/ and connectors/");
        assertHelp(List.of("bench", help), "--events=N", "--warmup=N", "--rabbitmq=URI", "--postgres=JDBC-URL",
                "--postgres-user=USER", "--latency-rate=EVENTS/S", "--latency-events=N", "--backfill-deals=N",
                "--parts=PART", "--native-library=PATH", "--native-deals=N", "Measure the hub as shipped");
        assertHelp(List.of("reconcile", help), "Exit codes:", "1   a difference");
        assertHelp(List.of("dead-letters", help), "list", "show", "replay");
        assertHelp(List.of("dead-letters", "list", help), "--route=ROUTE-ID", "--all", "--limit=N");
        assertHelp(List.of("dead-letters", "show", help), "ID");
        assertHelp(List.of("dead-letters", "replay", help), "[ID...]", "--all", "--route=ROUTE-ID");
        assertHelp(List.of("simulator", help), "--port=N", "--bind=ADDRESS", "--data-dir=DIR", "--server-id=ID",
                "--seed=N", "--rate=N", "--clients=N", "--start-time=INSTANT", "--manager-login=N",
                "--manager-password=PW", "--timezone-minutes=N", "--session-ttl=DURATION",
                "--session-idle=DURATION", "--flood-limit=N", "--idle", "--http", "--fingerprint-file=FILE",
                "--certificate-file=FILE");
        assertThat(hubRuns).hasValue(0);
    }

    @Test
    void versionIsPrinted() {
        assertThat(execute("--version")).isZero();
        assertThat(out.toString()).startsWith("mt5-crm-hub ");
    }

    @Test
    void noArgumentRunsTheHub() {
        int exit = execute();

        assertThat(exit).isZero();
        assertThat(hubRuns).hasValue(1);
        assertThat(out.toString() + err).isEmpty();
    }

    @Test
    void runRunsTheHub() {
        assertThat(execute("run")).isZero();
        assertThat(hubRuns).hasValue(1);
    }

    @Test
    void anUnknownCommandPrintsUsageAndExits2() {
        int exit = execute("frobnicate");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("mt5-crm-hub: unknown command 'frobnicate'").contains(USAGE + " [-hV]")
                .contains("dead-letters");
        assertThat(out.toString()).isEmpty();
        assertThat(hubRuns).hasValue(0);
    }

    @Test
    void anUnknownOptionPrintsUsageAndExits2() {
        assertThat(execute("--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--frobnicate'").contains(USAGE + " [-hV] [COMMAND]");

        err.getBuffer().setLength(0);
        assertThat(execute("bench", "--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--frobnicate'").contains(USAGE + " bench");
        assertThat(hubRuns).hasValue(0);
    }

    @Test
    void aWrongOptionValueIsNamedWithTheCommandsUsage() {
        assertThat(execute("simulator", "--rate", "fast")).isEqualTo(2);
        assertThat(err.toString()).startsWith("mt5-crm-hub: --rate 'fast' is not a number")
                .contains(USAGE + " simulator");

        err.getBuffer().setLength(0);
        assertThat(execute("simulator", "--session-idle", "0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("mt5-crm-hub: --session-idle must be more than 0");
    }

    @Test
    void deadLettersWithoutACommandOrIdsPrintsItsUsageAndExits2() {
        assertThat(execute("dead-letters")).isEqualTo(2);
        assertThat(err.toString()).contains(USAGE + " dead-letters");

        err.getBuffer().setLength(0);
        assertThat(execute("dead-letters", "replay")).isEqualTo(2);
        assertThat(err.toString()).contains("replay takes dead letter ids, or --all")
                .contains(USAGE + " dead-letters replay");
    }

    @Test
    void runWithoutRoutesSaysSoInOneLineAndExits2() throws Exception {
        Files.delete(workingDirectory.resolve("routes"));

        int exit = execute();

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("mt5-crm-hub: no routes/ folder in " + workingDirectory.toAbsolutePath())
                .contains("run mt5-crm-hub from the folder that holds routes/ and connectors/");
        assertThat(hubRuns).hasValue(0);
    }

    @Test
    void benchWithoutConnectorsSaysSoInOneLineAndExits2() throws Exception {
        Files.delete(workingDirectory.resolve("connectors"));

        int exit = execute("bench", "--events", "1");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("mt5-crm-hub: no connectors/ folder in " + workingDirectory.toAbsolutePath());
    }

    @Test
    void theNativePartAloneNeedsNeitherFolderNorBroker() throws Exception {
        Files.delete(workingDirectory.resolve("routes"));
        Files.delete(workingDirectory.resolve("connectors"));

        int exit = execute("bench", "--parts", "NATIVE", "--rabbitmq", "amqp://guest:guest@127.0.0.1:1/");

        assertThat(exit).as(err.toString()).isZero(); // skipped without --native-library, which is no failure
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aNativeBurstOfNoDealsIsAWrongCommandLine() {
        assertThat(execute("bench", "--native-deals", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--native-deals must be at least 1");
    }

    private void assertHelp(List<String> args, String... options) {
        out.getBuffer().setLength(0);
        int exit = execute(args.toArray(String[]::new));

        String command = String.join(" ", args.subList(0, args.size() - 1));
        assertThat(exit).as("exit of %s", args).isZero();
        assertThat(out.toString()).as("usage of %s", args).startsWith(USAGE + " " + command + " [-hV]")
                .contains("-h, --help").contains(options);
        assertThat(err.toString()).isEmpty();
    }

    private int execute(String... args) {
        CommandLine cli = HubCli.commandLine(workingDirectory, () -> {
            hubRuns.incrementAndGet();
            return 0;
        });
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}

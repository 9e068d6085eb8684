package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import io.mt5crmhub.testsupport.HubProcess;
import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.SimulatorFedStandIn;
import io.mt5crmhub.testsupport.StandInFeederAgent;
import io.mt5crmhub.testsupport.WebApiHubs;
import org.junit.jupiter.api.Test;

/**
 * The packaged hub with {@code gateway=native} end to end on the Manager API stand-in, which a Java agent in the
 * hub's own process feeds from a seeded simulator world ({@link StandInFeederAgent}): MT5 pushes through JNA, drops
 * the connection twice while it trades on, and the hub's {@code crm_deal} must end equal to the world's books by
 * ticket, with {@code reconcile} finding no difference.
 */
class NativeHubIT {

    private static final int ACTIONS = 3_000;

    @Test
    void theStoreEndsEqualToMt5sBooksByTicketAfterTwoDropsAndReconcileFindsNothing() throws Exception {
        Path hubDir = HubProcess.prepareWorkDir("native-hub");
        Path books = hubDir.resolve("mt5");
        Path report = hubDir.resolve("world-deals.txt");
        Path agent = agentJar(hubDir.resolve("feeder-agent.jar"));
        String trading = String.join(";", books.toString(), "150", Integer.toString(ACTIONS), "800,1800", "300",
                report.toString());
        try (HubProcess hub = hub(hubDir, 18195, agent, trading).start()) {
            await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
            assertThat(hub.health().body()).contains("\"mt5.live1.gateway\":\"native\"");
            await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(report));
            List<Long> world = Files.readAllLines(report).stream().map(Long::parseLong).sorted().toList();
            WebApiHubs.awaitWhileProgressing(hub, () -> WebApiHubs.storedTickets(hubDir).containsAll(world));

            assertThat(WebApiHubs.storedTickets(hubDir)).as("the hub's crm_deal against the world's books")
                    .doesNotHaveDuplicates().isEqualTo(world);
            assertThat(world).hasSizeGreaterThan(1_000);
            assertThat(hub.output().lines().filter(l -> l.contains("MT5 server live1 disconnected")).count())
                    .as("the two drops, seen by the hub:\n" + hub.output()).isEqualTo(2);
            hub.terminate();
            assertThat(hub.awaitExit(Duration.ofSeconds(30))).as(hub.output()).isZero();
            assertThat(hub.output()).doesNotContain(Mt5Stub.PASSWORD);

            // reconcile in a process of its own, the stand-in holding the world's final state (no trading)
            String stateOnly = String.join(";", books.toString(), "1", "0", "", "0", report.toString());
            HubProcess.CommandRun reconcile = hub.env("JDK_JAVA_OPTIONS", agentOption(agent, stateOnly))
                    .env("HUB_BALANCE_RECONCILE_SETTLE_SECONDS", "0").command("reconcile");
            assertThat(reconcile.exitCode()).as(reconcile.output()).isZero();
            java.util.regex.Matcher compared = java.util.regex.Pattern.compile(
                    "Reconciliation at \\S+: (\\d+) logins compared, 0 differ")
                    .matcher(reconcile.output());
            assertThat(compared.find()).as(reconcile.output()).isTrue();
            assertThat(Integer.parseInt(compared.group(1))).as("logins MT5 and the ledger were compared on")
                    .isGreaterThan(100);
        }
    }

    @Test
    void aMissingLibraryOrARefusedLoginStopsStartUpWithOneLineNamingTheKey() throws Exception {
        Path hubDir = HubProcess.prepareWorkDir("native-bad-input");
        Path agent = agentJar(hubDir.resolve("feeder-agent.jar"));
        String noTrading = String.join(";", hubDir.resolve("mt5").toString(), "1", "0", "", "0",
                hubDir.resolve("world-deals.txt").toString());
        try (HubProcess hub = hub(hubDir, 18196, agent, noTrading)
                .env("MT5_SERVER_LIVE1_LIBRARY", hubDir.resolve("MT5APIManager64.dll").toString()).start()) {
            assertThat(hub.awaitExit(Duration.ofSeconds(60))).as(hub.output()).isEqualTo(1);
            assertThat(hub.errorLines()).as(hub.output()).singleElement().asString()
                    .contains("mt5-crm-hub cannot start: mt5.server.live1.library: ")
                    .contains("MT5APIManager64.dll does not exist or is not a file");
        }
        try (HubProcess hub = hub(hubDir, 18196, agent, noTrading)
                .env("MT5_SERVER_LIVE1_PASSWORD", "N0t-The-Pa55word").start()) {
            assertThat(hub.awaitExit(Duration.ofSeconds(60))).as(hub.output()).isEqualTo(1);
            assertThat(hub.errorLines()).as(hub.output()).singleElement().asString()
                    .contains("mt5-crm-hub cannot start: mt5.server.live1.password: MT5 server live1 at 127.0.0.1:443"
                            + " refused the login of manager " + Mt5Stub.MANAGER + ": retcode 1001");
            assertThat(hub.output()).doesNotContain("N0t-The-Pa55word");
        }
    }

    private static HubProcess hub(Path dir, int httpPort, Path agent, String agentArgs) {
        return new HubProcess(dir, httpPort)
                .env("JDK_JAVA_OPTIONS", agentOption(agent, agentArgs))
                .env("MT5_SERVERS", "live1")
                .env("MT5_SERVER_LIVE1_GATEWAY", "native")
                .env("MT5_SERVER_LIVE1_LIBRARY", Mt5Stub.library().toAbsolutePath().toString())
                .env("MT5_SERVER_LIVE1_ADDRESS", "127.0.0.1:443")
                .env("MT5_SERVER_LIVE1_LOGIN", Long.toString(Mt5Stub.MANAGER))
                .env("MT5_SERVER_LIVE1_PASSWORD", Mt5Stub.PASSWORD)
                .env("MT5_SERVER_LIVE1_RECONNECT_GRACE", "2s")
                .env("HUB_DB_URL", WebApiHubs.H2_URL);
    }

    private static String agentOption(Path agent, String args) {
        return "-Dmt5.stub.dir=" + Mt5Stub.library().toAbsolutePath().getParent() + " -javaagent:" + agent + "=" + args;
    }

    /** The agent and the test classes it runs, in one jar (the hub jar holds everything else they use). */
    private static Path agentJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", StandInFeederAgent.class.getName());
        Path classes = Path.of("target", "test-classes");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            // each with its nested classes (Mt5Stub$Control)
            for (Class<?> type : List.of(StandInFeederAgent.class, SimulatorFedStandIn.class, Mt5Stub.class)) {
                String prefix = type.getName().replace('.', '/');
                Path dir = classes.resolve(prefix).getParent();
                String simple = prefix.substring(prefix.lastIndexOf('/') + 1);
                try (var files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().equals(simple + ".class")
                            || f.getFileName().toString().startsWith(simple + "$")).toList()) {
                        jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                        Files.copy(file, jarOut);
                        jarOut.closeEntry();
                    }
                }
            }
        }
        return jar;
    }
}

package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.GetResponse;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.HubProcess;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.RabbitTestBroker;
import io.mt5crmhub.testsupport.SimulatorProcess;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as ops run it: health within 20 s, data flowing into the H2 store, graceful SIGTERM with
 * nothing lost or doubled across restarts, one clear line for each bad setting, and the hub's own command line.
 */
class HubJarIT {

    @Test
    void startsOnTheEmbeddedDefaultAndFillsTheStore() throws Exception {
        Path dir = HubProcess.prepareWorkDir("default");
        try (HubProcess hub = new HubProcess(dir, 18180).env("MT5_SERVER_SIM_RATE", "200").start()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(hub::isHealthUp);
            Duration healthUpAfter = hub.sinceStart();
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.routeExchangesSucceeded("crm-store-deals") > 20
                    && hub.routeExchangesSucceeded("crm-store-accounts") > 0 && hub.routeExchangesSucceeded("crm-store-positions") > 0);

            assertThat(healthUpAfter).isLessThan(Duration.ofSeconds(20));
            assertThat(hub.health().body()).contains("\"mt5.sim.connected\":true")
                    .contains("\"mt5.sim.gateway\":\"simulator\"");
            hub.terminate();
            assertThat(hub.awaitExit(Duration.ofSeconds(30))).isZero();
            String url = hub.h2Url("hub");
            assertThat(count(url, "crm_deal")).isGreaterThan(20);
            assertThat(count(url, "crm_account")).isPositive();
            assertThat(count(url, "crm_position")).isPositive();
            assertThat(count(url, "crm_deal WHERE client_id IS NOT NULL")).isPositive();
            assertThat(count(url, "crm_deal WHERE client_id IS NULL")).isPositive();
            // the demo map covers the first world's logins except about one in twenty
            long mapped = count(url, "hub_login_map");
            long firstWorld = count(url, "crm_account WHERE registered_at = (SELECT MIN(registered_at) FROM crm_account)");
            assertThat(mapped).isBetween(firstWorld * 85 / 100, firstWorld - 1);
        }
    }

    @Test
    void sigtermDrainsAndExitsZeroAndARestartCarriesOnWithNothingLostOrDoubled() throws Exception {
        Path dir = HubProcess.prepareWorkDir("sigterm");
        long lastTicketBefore = 0;
        for (int run = 1; run <= 2; run++) {
            try (HubProcess hub = new HubProcess(dir, 18181).env("MT5_SERVER_SIM_RATE", "300").start()) {
                await().atMost(Duration.ofSeconds(30)).until(hub::isHealthUp);
                await().atMost(Duration.ofSeconds(60)).until(() -> hub.routeExchangesSucceeded("crm-store-deals") >= 200);
                hub.terminate();
                Integer exit = hub.awaitExit(Duration.ofSeconds(30));

                assertThat(exit).as("exit code after SIGTERM, log:%n%s", hub.output()).isEqualTo(0);
                assertThat(hub.output()).doesNotContain("ERROR").doesNotContain("WARN  [Camel");
            }
            List<Long> simTickets = tickets("jdbc:h2:file:" + dir.resolve("data/sim-sim"), "SELECT ticket FROM sim_deal ORDER BY ticket");
            List<Long> crmTickets = tickets("jdbc:h2:file:" + dir.resolve("data/hub"), "SELECT ticket FROM crm_deal ORDER BY ticket");
            assertThat(crmTickets).as("the store holds exactly the simulator's deals after run %d", run)
                    .isEqualTo(simTickets);
            // 200 routed deal events are fewer distinct tickets: deal updates and back-filled repeats count too
            assertThat(crmTickets).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(100);
            assertThat(crmTickets.get(crmTickets.size() - 1)).as("tickets keep rising").isGreaterThan(lastTicketBefore);
            lastTicketBefore = crmTickets.get(crmTickets.size() - 1);
        }
    }

    @Test
    void withRabbitMqTheDealsQueueGetsExactlyOneMessagePerStoredDeal() throws Exception {
        try (RabbitTestBroker broker = new RabbitTestBroker()) {
            broker.channel().queuePurge("crm.deals");
            Path dir = HubProcess.prepareWorkDir("rabbitmq");
            try (HubProcess hub = new HubProcess(dir, 18186).env("MT5_SERVER_SIM_RATE", "300")
                    .env("HUB_RABBITMQ_URI", RabbitTestBroker.URI).start()) {
                await().atMost(Duration.ofSeconds(30)).until(hub::isHealthUp);
                await().atMost(Duration.ofSeconds(60)).until(() -> hub.routeExchangesSucceeded("rabbitmq-deals") >= 300);
                hub.terminate();
                assertThat(hub.awaitExit(Duration.ofSeconds(30))).as(hub.output()).isZero();
            }
            List<Long> stored = tickets("jdbc:h2:file:" + dir.resolve("data/hub"), "SELECT ticket FROM crm_deal ORDER BY ticket");
            List<String> messageIds = new ArrayList<>();
            for (GetResponse m : broker.drain("crm.deals")) {
                Mt5Event event = EventJson.read(m.getBody());
                assertThat(m.getProps().getMessageId()).isEqualTo(event.eventId());
                assertThat(m.getEnvelope().getRoutingKey()).startsWith("sim.deal.added.");
                messageIds.add(m.getProps().getMessageId());
            }
            assertThat(messageIds).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(stored.stream().map(t -> "sim:deal:" + t + ":added").toList());
        }
    }

    @Test
    void aBrokerDownAtStartLeavesTheHubRunningWithRabbitmqDownInHealth() throws Exception {
        Path dir = HubProcess.prepareWorkDir("broker-down");
        try (HubProcess hub = new HubProcess(dir, 18185).env("MT5_SERVER_SIM_RATE", "200")
                .env("HUB_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:1/").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.health() != null && hub.health().statusCode() == 503);
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.routeExchangesSucceeded("crm-store-deals") > 20);

            assertThat(hub.health().body()).contains("{\"name\":\"rabbitmq\",\"status\":\"DOWN\"")
                    .contains("RabbitMQ is not connected").doesNotContain("guest:guest");
            assertThat(hub.isAlive()).isTrue();
            hub.terminate();
            assertThat(hub.awaitExit(Duration.ofSeconds(30))).as(hub.output()).isZero();
            assertThat(hub.output()).doesNotContain("guest:guest")
                    .as("what waits for the broker is kept for the next start, not waited for until the stop times out")
                    .contains("Stopping while RabbitMQ is away")
                    .doesNotContain("Timeout occurred during graceful shutdown");
        }
    }

    @Test
    void badSettingsStopStartUpWithOneLineNamingTheKey() throws Exception {
        assertStartFails("MT5_SERVER_SIM_GATEWAY", "carrier-pigeon", "mt5.server.sim.gateway='carrier-pigeon'");
        assertStartFails("MT5_SERVER_SIM_RATE", "fast", "mt5.server.sim.rate='fast' is not a number");
        assertStartFails("HUB_DB_URL", "jdbc:oracle:thin:@db:1521:x", "hub.db.url must be a jdbc:h2: or jdbc:postgresql: URL");
        assertStartFails("HUB_RABBITMQ_URI", "rabbit://somewhere", "hub.rabbitmq.uri must be an amqp:// or amqps:// URI");
    }

    @Test
    void unreachableDatabaseNamesTheKeyAndNeverPrintsThePassword() throws Exception {
        Path dir = HubProcess.prepareWorkDir("bad-db");
        try (HubProcess hub = new HubProcess(dir, 18183)
                .env("HUB_DB_URL", "jdbc:postgresql://127.0.0.1:1/nowhere?password=UrlS3cret")
                .env("HUB_DB_USERNAME", "hub").env("HUB_DB_PASSWORD", "Sup3rS3cret!").start()) {
            Integer exit = hub.awaitExit(Duration.ofSeconds(60));

            assertThat(exit).isNotNull().isNotZero();
            assertThat(hub.errorLines()).singleElement().asString()
                    .contains("hub.db.url='jdbc:postgresql://127.0.0.1:1/nowhere?password=***'").contains("cannot connect");
            assertThat(hub.output()).doesNotContain("Sup3rS3cret!").doesNotContain("UrlS3cret");
        }
    }

    @Test
    void aZooKeeperThatDoesNotAnswerOrAnH2StoreStopsAClusteredStartUpNamingTheKey() throws Exception {
        String nowhere = "127.0.0.1:" + SimulatorProcess.freePort();
        try (PostgresTestDatabase postgres = new PostgresTestDatabase();
                HubProcess hub = new HubProcess(HubProcess.prepareWorkDir("bad-zookeeper"), 18185)
                        .env("HUB_DB_URL", postgres.url())
                        .env("HUB_DB_USERNAME", PostgresTestDatabase.USER)
                        .env("HUB_CLUSTER_TYPE", "zookeeper").env("HUB_CLUSTER_ZOOKEEPER_NODES", nowhere)
                        .env("HUB_CLUSTER_ZOOKEEPER_CONNECT_TIMEOUT", "2s").start()) {
            Integer exit = hub.awaitExit(Duration.ofSeconds(60));

            assertThat(exit).as(hub.output()).isNotNull().isNotZero();
            assertThat(hub.errorLines()).as(hub.output()).singleElement().asString()
                    .contains("hub.cluster.zookeeper.nodes='" + nowhere + "': no ZooKeeper server answered within 2000 ms");
        }
        try (HubProcess hub = new HubProcess(HubProcess.prepareWorkDir("cluster-on-h2"), 18185)
                .env("HUB_CLUSTER_TYPE", "zookeeper").env("HUB_CLUSTER_ZOOKEEPER_NODES", nowhere).start()) {
            Integer exit = hub.awaitExit(Duration.ofSeconds(60));

            assertThat(exit).as(hub.output()).isNotNull().isNotZero();
            assertThat(hub.errorLines()).as(hub.output()).singleElement().asString()
                    .contains("hub.cluster.type=zookeeper needs hub.db.url on PostgreSQL");
        }
    }

    @Test
    void portInUseStopsStartUpNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(18184)) {
            Path dir = HubProcess.prepareWorkDir("port");
            try (HubProcess hub = new HubProcess(dir, 18184).start()) {
                Integer exit = hub.awaitExit(Duration.ofSeconds(60));

                assertThat(exit).as(hub.output()).isNotNull().isNotZero();
                assertThat(hub.errorLines()).as(hub.output()).singleElement().asString()
                        .contains("hub.http.port=18184").contains("in use");
            }
        }
    }

    @Test
    void theCommandLineIsTheHubsOwn() throws Exception {
        HubProcess jar = new HubProcess(HubProcess.prepareWorkDir("cli"), 18187);
        HubProcess.CommandRun help = jar.command("--help");
        HubProcess.CommandRun unknown = jar.command("frobnicate");
        HubProcess.CommandRun elsewhere = new HubProcess(Files.createDirectories(
                Path.of("target", "it", "no-routes-" + System.nanoTime()).toAbsolutePath()), 18187).command();

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).startsWith("Usage: java -jar mt5-crm-hub.jar")
                .contains("run", "bench", "reconcile", "dead-letters", "simulator");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown command 'frobnicate'").contains("Usage: java -jar mt5-crm-hub.jar");
        assertThat(elsewhere.exitCode()).as(elsewhere.output()).isEqualTo(2);
        assertThat(elsewhere.output().lines()).singleElement().asString().contains("no routes/ folder in");
    }

    /**
     * The hook that gives a SIGTERM'd hub exit code 0 must not cut the JVM's other shutdown hooks short when a command
     * ends by itself: a flight recording asked for on the command line is dumped by one of them.
     */
    @Test
    void aCommandThatEndsByItselfLetsTheOtherShutdownHooksRun() throws Exception {
        Path dir = HubProcess.prepareWorkDir("hooks");
        Path recording = dir.resolve("help.jfr");
        HubProcess.CommandRun help = new HubProcess(dir, 18188)
                .env("JDK_JAVA_OPTIONS", "-XX:StartFlightRecording=filename=" + recording).command("--help");

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(recording).as("the recording JFR dumps at exit").isNotEmptyFile();
    }

    private static void assertStartFails(String key, String value, String expected) throws Exception {
        Path dir = HubProcess.prepareWorkDir("bad-" + key.toLowerCase());
        try (HubProcess hub = new HubProcess(dir, 18182).env(key, value).start()) {
            Integer exit = hub.awaitExit(Duration.ofSeconds(60));

            assertThat(exit).as(hub.output()).isNotNull().isNotZero();
            assertThat(hub.errorLines()).as(hub.output()).singleElement().asString().contains(expected);
        }
    }

    private static long count(String url, String tableAndWhere) {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + tableAndWhere)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> tickets(String url, String sql) throws SQLException {
        List<Long> tickets = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                tickets.add(rs.getLong(1));
            }
        }
        assertThat(Files.exists(Path.of(url.substring("jdbc:h2:file:".length()).split(";")[0] + ".mv.db"))).isTrue();
        return tickets;
    }
}

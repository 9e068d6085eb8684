package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.mt5crmhub.rabbitmq.RabbitTopology;
import io.mt5crmhub.testsupport.HubProcess;
import io.mt5crmhub.testsupport.RabbitTestBroker;
import org.junit.jupiter.api.Test;

/**
 * Deposits end to end with the packaged jar and the real RabbitMQ: posted over HTTP and on crm.balance.requests,
 * performed on the simulated MT5, confirmed by their deals coming back, announced as balance.confirmed events;
 * then {@code reconcile} agrees, and after a deliberate change to the store it lists the difference and exits 1.
 */
class BalanceEndToEndIT {

    private static final String KEY = "e2e-key-5d1c";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void depositsAreConfirmedAnnouncedAndReconciled() throws Exception {
        String server = RabbitTestBroker.uniqueServerId("bal");
        Path dir = HubProcess.prepareWorkDir("balance-e2e");
        int port = freePort();
        Map<String, String> env = Map.of(
                "HUB_RABBITMQ_URI", RabbitTestBroker.URI,
                "HUB_API_KEYS", KEY,
                "MT5_SERVERS", server,
                "MT5_SERVER_" + server.toUpperCase(Locale.ROOT) + "_RATE", "2",
                "HUB_BALANCE_GRACE_SECONDS", "60");
        List<String> ids = new ArrayList<>();
        try (RabbitTestBroker broker = new RabbitTestBroker()) {
            String outcomes = broker.queueFor(server + ".balance.#");
            try (HubProcess hub = new HubProcess(dir, port)) {
                env.forEach(hub::env);
                hub.start();
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(hub::isHealthUp);
                String base = "http://127.0.0.1:" + port;

                for (int i = 0; i < 10; i++) {
                    String id = "E2E-" + server + "-" + i;
                    ids.add(id);
                    HttpResponse<String> r = post(base, "{\"crmTxnId\":\"" + id + "\",\"server\":\"" + server
                            + "\",\"login\":" + (50001 + i % 5) + ",\"type\":\"DEPOSIT\",\"amount\":\"" + (100 + i)
                            + ".25\"}");
                    assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
                }
                String queued = "E2E-Q-" + server;
                ids.add(queued);
                broker.channel().basicPublish("", RabbitTopology.BALANCE_REQUESTS_QUEUE,
                        new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                        ("{\"crmTxnId\":\"" + queued + "\",\"server\":\"" + server + "\",\"login\":50002,"
                                + "\"type\":\"DEPOSIT\",\"amount\":\"42.00\"}").getBytes(StandardCharsets.UTF_8));

                for (String id : ids) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> state(base, id).equals("CONFIRMED"));
                }
                Set<String> announced = new HashSet<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    for (GetResponse m : broker.drain(outcomes)) {
                        JsonNode event = JSON.readTree(m.getBody());
                        assertThat(m.getEnvelope().getRoutingKey()).isEqualTo(server + ".balance.confirmed");
                        assertThat(event.get("type").asText()).isEqualTo("balance.confirmed");
                        assertThat(event.get("dealTicket").asLong()).isPositive();
                        announced.add(event.get("crmTxnId").asText());
                    }
                    return announced.containsAll(ids);
                });

                JsonNode report = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base
                        + "/api/v1/reconciliation")).header("Authorization", "Bearer " + KEY).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(report.get("clean").asBoolean()).as(report.toString()).isTrue();
                assertThat(report.get("loginsCompared").asInt()).isPositive();

                hub.terminate();
                assertThat(hub.awaitExit(Duration.ofSeconds(30))).isZero();
            }
        }

        Run clean = reconcile(dir, env);
        assertThat(clean.exitCode).as(clean.output).isZero();
        assertThat(clean.output).contains("OK: MT5 and the CRM ledger agree")
                .as("its progress, on stderr").contains("reconcile: 1 / 1 MT5 servers (100%)");

        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("data").resolve("hub"), "sa", "");
             Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE crm_deal SET profit = profit + 1 WHERE server = '" + server
                    + "' AND comment = 'crm:" + ids.get(0) + "'")).isEqualTo(1);
        }
        Run differs = reconcile(dir, env);
        assertThat(differs.exitCode).as(differs.output).isEqualTo(1);
        assertThat(differs.output).contains("DIFFERENCES FOUND").contains(server).contains("50001")
                .contains("-1.00");
    }

    /**
     * On the embedded default (H2), what the API accepted is on disk before it answers, and a request marked SENT is
     * on disk before MT5 is called: killed right after, the hub neither forgets a deposit nor books it twice.
     */
    @Test
    void depositsAcceptedJustBeforeASigkillAreKeptAndBookedOnce() throws Exception {
        String server = RabbitTestBroker.uniqueServerId("kill");
        Path dir = HubProcess.prepareWorkDir("balance-sigkill");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        List<String> ids = new ArrayList<>();
        try (HubProcess hub = balanceHub(dir, port, server).start()) {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(hub::isHealthUp);
            for (int i = 0; i < 5; i++) {
                String id = "KILL-" + server + "-" + i;
                ids.add(id);
                HttpResponse<String> r = post(base, "{\"crmTxnId\":\"" + id + "\",\"server\":\"" + server
                        + "\",\"login\":" + (50001 + i) + ",\"type\":\"DEPOSIT\",\"amount\":\"" + (10 + i)
                        + ".50\"}");
                assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
            }
        } // close() is SIGKILL, milliseconds after the last answer
        try (HubProcess hub = balanceHub(dir, port, server).start()) {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(hub::isHealthUp);
            for (String id : ids) {
                assertThat(state(base, id)).as("%s after the SIGKILL", id).isNotEqualTo("HTTP 404");
                await().atMost(Duration.ofSeconds(30)).until(() -> state(base, id).equals("CONFIRMED"));
            }
            hub.terminate();
            assertThat(hub.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("data").resolve("hub"), "sa", "");
             Statement s = c.createStatement()) {
            for (String id : ids) {
                try (java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM crm_deal WHERE server = '" + server
                        + "' AND comment = 'crm:" + id + "'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("MT5 deals booked for %s", id).isEqualTo(1);
                }
            }
        }
    }

    private static HubProcess balanceHub(Path dir, int port, String server) {
        return new HubProcess(dir, port).env("HUB_API_KEYS", KEY).env("MT5_SERVERS", server)
                .env("MT5_SERVER_" + server.toUpperCase(Locale.ROOT) + "_RATE", "2");
    }

    private record Run(int exitCode, String output) { }

    private static Run reconcile(Path dir, Map<String, String> env) throws Exception {
        String jar = Path.of(System.getProperty("hub.jar", "target/mt5-crm-hub.jar")).toAbsolutePath().toString();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar, "reconcile").directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("HUB_BALANCE_RECONCILE_SETTLE_SECONDS", "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static HttpResponse<String> post(String base, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/balance-operations"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String state(String base, String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/balance-operations/" + id))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 || r.statusCode() == 202 ? JSON.readTree(r.body()).get("state").asText()
                : "HTTP " + r.statusCode();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mt5crmhub.testsupport.HubProcess;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.PrometheusText;
import io.mt5crmhub.testsupport.SimulatorProcess;
import io.mt5crmhub.testsupport.TcpProxy;
import io.mt5crmhub.testsupport.WebApiHubs;
import org.junit.jupiter.api.Test;

/**
 * Bad input for the status endpoint: while the hub database is locked (PostgreSQL, the tables the figures read held
 * in ACCESS EXCLUSIVE mode by another session) and while MT5 hangs (the Web API gateway's connection frozen
 * mid-request), {@code GET /status.json} and {@code GET /observe/metrics} of the jar answer within 1 s every time,
 * and the status says what it could not read and since when. Both recover once the hang ends.
 */
class StatusUnderHangsIT {

    private static final Duration LIMIT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void answersWithinASecondAndSaysSoWhileTheDatabaseIsLocked() throws Exception {
        Path dir = HubProcess.prepareWorkDir("status-db-locked");
        try (PostgresTestDatabase db = new PostgresTestDatabase();
             HubProcess hub = new HubProcess(dir, SimulatorProcess.freePort())
                     .env("HUB_DB_URL", db.url()).env("HUB_DB_USERNAME", PostgresTestDatabase.USER)
                     .env("HUB_DB_PASSWORD", "").env("MT5_SERVER_SIM_RATE", "5")) {
            hub.start();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(hub::isHealthUp);
            await().atMost(Duration.ofSeconds(30)).until(() -> !status(hub).path("deadLetters").path("readAt").isNull());

            Instant lockedAt;
            JsonNode locked;
            try (Connection session = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
                 Statement lock = session.createStatement()) {
                session.setAutoCommit(false);
                lock.execute("LOCK TABLE hub_dead_letter, hub_balance_operation IN ACCESS EXCLUSIVE MODE");
                lockedAt = Instant.now();

                locked = awaitAnswers(hub, status -> problem(status, "hub database: no answer for").isPresent());
                PrometheusText metrics = new PrometheusText(answeredWithinLimit(hub, "/observe/metrics"));
                assertThat(metrics.value("hub_store_figures_age_seconds")).isGreaterThan(2);
                assertThat(metrics.value("mt5_server_connected", "server", "sim")).as("MT5 is not affected")
                        .isEqualTo(1);
                session.rollback();
            }

            String problem = problem(locked, "hub database: no answer for").orElseThrow();
            Instant askedAt = Instant.parse(problem.replaceAll(".*\\(asked at ([^)]+)\\).*", "$1"));
            Instant figuresOf = Instant.parse(problem.replaceAll(".*the figures are of (\\S+)$", "$1"));
            assertThat(askedAt).as(problem).isAfter(lockedAt.minusSeconds(10)).isBefore(Instant.now());
            assertThat(figuresOf).as(problem).isBefore(askedAt.plusSeconds(1))
                    .isEqualTo(Instant.parse(locked.path("deadLetters").path("readAt").asText()));
            assertThat(locked.path("servers").get(0).path("connected").asBoolean()).isTrue();

            JsonNode released = awaitAnswers(hub, status -> problem(status, "hub database").isEmpty()
                    && Instant.parse(status.path("deadLetters").path("readAt").asText()).isAfter(lockedAt));
            assertThat(released.path("balanceOperations").path("readAt").asText()).isNotEmpty();
        }
    }

    @Test
    void answersWithinASecondAndSaysSoWhileMt5Hangs() throws Exception {
        Path dir = HubProcess.prepareWorkDir("status-mt5-hangs");
        int mt5Port = SimulatorProcess.freePort();
        try (SimulatorProcess mt5 = new SimulatorProcess(dir.resolve("mt5"), mt5Port).start("--rate", "5");
             TcpProxy proxy = new TcpProxy(mt5Port);
             HubProcess hub = WebApiHubs.hub(dir, SimulatorProcess.freePort(), mt5)
                     .env("MT5_SERVER_LIVE1_ADDRESS", proxy.address())
                     .env("MT5_SERVER_LIVE1_REQUEST_TIMEOUT", "3s").env("MT5_SERVER_LIVE1_CONNECT_TIMEOUT", "2s")) {
            hub.start();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(hub::isHealthUp);
            awaitAnswers(hub, status -> server(status).path("connected").asBoolean());

            proxy.freeze();
            Instant frozenAt = Instant.now();
            JsonNode hung = awaitAnswers(hub, status -> !server(status).path("connected").asBoolean()
                    && problem(status, "MT5 server live1 is not connected since").isPresent());

            JsonNode live1 = server(hung);
            Instant since = Instant.parse(live1.path("since").asText());
            assertThat(since).isAfter(frozenAt.minusSeconds(1)).isBefore(Instant.now());
            assertThat(problem(hung, "MT5 server live1").orElseThrow())
                    .startsWith("MT5 server live1 is not connected since " + since + ": ");
            assertThat(live1.path("lastError").asText()).as(hung.toString()).isNotEmpty();
            PrometheusText metrics = new PrometheusText(answeredWithinLimit(hub, "/observe/metrics"));
            assertThat(metrics.value("mt5_server_connected", "server", "live1")).isZero();

            proxy.restore();
            awaitAnswers(hub, status -> server(status).path("connected").asBoolean()
                    && problem(status, "MT5 server").isEmpty());
        }
    }

    /**
     * Polls {@code /status.json} and {@code /observe/metrics} until the status satisfies {@code done}, failing at
     * once if either takes longer than {@link #LIMIT} to answer; returns that status.
     */
    private static JsonNode awaitAnswers(HubProcess hub, Predicate<JsonNode> done) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            answeredWithinLimit(hub, "/observe/metrics");
            JsonNode status = JSON.readTree(answeredWithinLimit(hub, "/status.json"));
            last.set(status);
            return done.test(status);
        });
        return last.get();
    }

    private static String answeredWithinLimit(HubProcess hub, String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> answer = hub.get(path);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("GET " + path + " took " + took.toMillis() + " ms").isLessThan(LIMIT);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static JsonNode status(HubProcess hub) throws Exception {
        return JSON.readTree(hub.get("/status.json").body());
    }

    private static JsonNode server(JsonNode status) {
        for (JsonNode server : status.path("servers")) {
            if ("live1".equals(server.path("id").asText())) {
                return server;
            }
        }
        return JSON.createObjectNode();
    }

    private static Optional<String> problem(JsonNode status, String prefix) {
        for (JsonNode problem : status.path("problems")) {
            if (problem.asText().startsWith(prefix)) {
                return Optional.of(problem.asText());
            }
        }
        return Optional.empty();
    }
}

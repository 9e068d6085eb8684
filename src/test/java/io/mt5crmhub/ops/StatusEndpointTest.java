package io.mt5crmhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.PrometheusText;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /status.json on the hub's port, without a key: each MT5 server and each sink with the same figures as the
 * metrics, answered at once, and nothing secret in it.
 */
class StatusEndpointTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVER = "st1";
    private static final int DEALS = 5;
    private static final String DB_PASSWORD = "s3cret-db-pass";

    @TempDir
    Path dir;
    @AutoClose
    private EmbeddedHub hub;
    private String base;

    @BeforeEach
    void start() throws Exception {
        List<String> lines = new ArrayList<>();
        for (long t = 1; t <= DEALS; t++) {
            lines.add(EventSamples.json(EventSamples.deposit(SERVER, 3_000_000 + t, 50001, "10.00", "")));
        }
        Path file = EventSamples.writeJsonl(dir.resolve("st1.jsonl"), lines);
        hub = new EmbeddedHub()
                .httpOnAFreePort()
                .replay(SERVER, file)
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                .with("hub.db.password", DB_PASSWORD)
                .start();
        base = hub.baseUrl();
    }

    @Test
    void showsEachServerAndSinkWithTheFiguresOfTheMetrics() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> sink(JSON.readTree(send("/status.json").body()),
                "crm-store-deals").path("delivered").asLong() == DEALS);

        long before = System.nanoTime();
        HttpResponse<String> answer = send("/status.json");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(answer.body()).doesNotContain(DB_PASSWORD);
        JsonNode body = JSON.readTree(answer.body());

        JsonNode server = body.path("servers").get(0);
        assertThat(server.path("id").asText()).isEqualTo(SERVER);
        assertThat(server.path("gateway").asText()).isEqualTo("replay");
        assertThat(server.path("connected").asBoolean()).isTrue();
        assertThat(server.path("eventsReceived").asLong()).isEqualTo(DEALS);

        JsonNode store = sink(body, "crm-store-deals");
        assertThat(store.path("sink").asText()).isEqualTo("crm-store");
        assertThat(store.path("state").asText()).isEqualTo("UP");
        assertThat(store.path("bound").asInt()).isPositive();
        PrometheusText metrics = PrometheusText.scrape(hub.context());
        assertThat(store.path("delivered").asDouble()).isEqualTo(
                metrics.value("mt5_consumer_delivered_events_total", "routeId", "crm-store-deals"));
        assertThat(body.path("deadLetters").path("byState").path("DEAD").asLong()).isZero();
        assertThat(body.path("balanceOperations").path("byState").has("UNKNOWN")).isTrue();
        assertThat(body.path("history").path("times").size()).isPositive();
    }

    @Test
    void servesThePageFromItsAllowListAndNothingElse() throws Exception {
        HttpResponse<String> page = send("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("/status/uPlot.iife.min.js", "/status/status.js");
        for (String file : List.of("/status/status.js", "/status/status.css", "/status/uPlot.iife.min.js",
                "/status/uPlot.min.css")) {
            assertThat(send(file).statusCode()).as(file).isEqualTo(200);
        }
        for (String other : List.of("/application.properties", "/status/application.properties",
                "/status/../application.properties", "/routes/mt5-to-crm-rest.yaml", "/logback.xml",
                "/META-INF/resources/webjars/uplot/1.6.30/LICENSE", "/status/index.html")) {
            assertThat(send(other).statusCode()).as(other).isEqualTo(404);
        }
    }

    private HttpResponse<String> send(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode sink(JsonNode status, String route) {
        for (JsonNode sink : status.path("sinks")) {
            if (sink.path("route").asText().equals(route)) {
                return sink;
            }
        }
        return JSON.missingNode();
    }
}

package io.mt5crmhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
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

    @Test
    void showsEachServerAndSinkWithTheFiguresOfTheMetrics() throws Exception {
        List<String> lines = new ArrayList<>();
        for (long t = 1; t <= DEALS; t++) {
            lines.add(EventSamples.json(EventSamples.deposit(SERVER, 3_000_000 + t, 50001, "10.00", "")));
        }
        Path file = EventSamples.writeJsonl(dir.resolve("st1.jsonl"), lines);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI status = URI.create("http://127.0.0.1:" + port + "/status.json");

        try (EmbeddedHub hub = new EmbeddedHub()
                .with("camel.server.enabled", "true")
                .with("hub.http.port", Integer.toString(port))
                .with("mt5.servers", SERVER)
                .with("mt5.server." + SERVER + ".gateway", "replay")
                .with("mt5.server." + SERVER + ".file", file.toString())
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                .with("hub.db.password", DB_PASSWORD)
                .start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sink(get(status), "crm-store-deals")
                    .path("delivered").asLong() == DEALS);

            long before = System.nanoTime();
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(status).build(),
                    HttpResponse.BodyHandlers.ofString());
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
    }

    private static JsonNode get(URI uri) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
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

package io.mt5crmhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.mt5crmhub.cli.DeadLetterCommand;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.TestCrm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's dead letter: the REST CRM refuses an event (422), the dead-letters command lists it with the
 * reason; once the CRM is fixed, a replay asked for on the command line is POSTed again by the running hub and
 * the row ends REPLAYED.
 */
class DeadLetterReplayIT {

    private static final String SERVER = "dl";
    private static final String PATH = "/crm/events";

    @TempDir
    Path dir;
    @RegisterExtension
    final WireMockExtension crm = TestCrm.onAFreePort();

    @BeforeEach
    void crmAcceptsEveryEvent() {
        crm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void aRefusedEventIsListedWithItsReasonAndReplayedOnRequest() throws Exception {
        Mt5Event accepted = EventSamples.deposit(SERVER, 1_000_001, 50001, "10.00", "ok");
        Mt5Event refused = EventSamples.deposit(SERVER, 1_000_002, 59999, "1.00", "unknown login");
        Path file = EventSamples.writeJsonl(dir.resolve("dl.jsonl"),
                List.of(EventSamples.json(accepted), EventSamples.json(refused)));
        crm.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo(refused.eventId())).atPriority(1)
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"login 59999 is not a client\"}")));
        Map<String, String> settings = Map.of("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"));

        try (EmbeddedHub hub = new EmbeddedHub()
                .with("mt5.servers", SERVER)
                .with("mt5.server." + SERVER + ".gateway", "replay")
                .with("mt5.server." + SERVER + ".file", file.toString())
                .with("hub.db.url", settings.get("hub.db.url"))
                .with("hub.crm.rest.url", "http://127.0.0.1:" + crm.getPort() + PATH)
                .with("hub.dead-letter.replay-poll-ms", "200")
                .start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> command(settings, "list").out.contains(refused.eventId()));
            Result list = command(settings, "list", "--route", "crm-rest-deals");
            assertThat(list.exit).isZero();
            assertThat(list.out).contains("DEAD").contains("HTTP 422 from http://127.0.0.1:")
                    .contains("is not a client").doesNotContain(accepted.eventId());
            String id = list.out.lines().filter(l -> l.contains(refused.eventId())).findFirst().orElseThrow()
                    .split("\\s+")[0];

            crm.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo(refused.eventId()))
                    .atPriority(1).willReturn(aResponse().withStatus(200)));
            Result replay = command(settings, "replay", id);
            assertThat(replay.exit).as(replay.err).isZero();

            await().atMost(Duration.ofSeconds(20)).until(() -> command(settings, "show", id).out.contains("REPLAYED"));
            crm.verify(2, postRequestedFor(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo(refused.eventId())));
            assertThat(command(settings, "show", id).out).contains("reason:              HTTP 422")
                    .contains("\"ticket\":1000002");
            assertThat(command(settings, "list").out).doesNotContain(refused.eventId());
            Result again = command(settings, "replay", id, "77777");
            assertThat(again.exit).isEqualTo(1);
            assertThat(again.err).contains("not found or already replayed: " + id + ", 77777");
        }
    }

    private record Result(int exit, String out, String err) {
    }

    /** The dead-letters command with {@code settings} over the hub's own (application.properties holds the rest). */
    private static Result command(Map<String, String> settings, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (HubProperties properties = new HubProperties()) {
            int exit = DeadLetterCommand.run(args,
                    key -> Optional.ofNullable(settings.get(key)).or(() -> properties.get(key)),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theApiListsShowsAndReplaysWithAKeyAndRefusesWithoutOne() throws Exception {
        Mt5Event refused = EventSamples.deposit(SERVER, 1_000_003, 59999, "1.00", "unknown login");
        Path file = EventSamples.writeJsonl(dir.resolve("api.jsonl"), List.of(EventSamples.json(refused)));
        crm.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo(refused.eventId())).atPriority(1)
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"no such client\"}")));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port + "/api/v1/dead-letters";

        try (EmbeddedHub hub = new EmbeddedHub()
                .with("mt5.servers", SERVER)
                .with("mt5.server." + SERVER + ".gateway", "replay")
                .with("mt5.server." + SERVER + ".file", file.toString())
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("api-hub"))
                .with("hub.crm.rest.url", "http://127.0.0.1:" + crm.getPort() + PATH)
                .with("hub.dead-letter.replay-poll-ms", "200")
                .with("camel.server.enabled", "true")
                .with("hub.http.port", Integer.toString(port))
                .with("hub.api.keys", "ops-key-1")
                .start()) {
            assertThat(http("GET", base, null).statusCode()).isEqualTo(401);
            await().atMost(Duration.ofSeconds(30)).until(() -> http("GET", base, "ops-key-1").body()
                    .contains(refused.eventId()));
            String listed = http("GET", base + "?route=crm-rest-deals", "ops-key-1").body();
            assertThat(listed).contains("\"state\":\"DEAD\"").contains("HTTP 422 from");
            String id = listed.replaceAll("(?s).*\"id\":(\\d+).*", "$1");
            assertThat(http("GET", base + "/abc", "ops-key-1").statusCode()).isEqualTo(400);
            assertThat(http("GET", base + "?limit=0", "ops-key-1").body()).contains("\"field\":\"limit\"");

            crm.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo(refused.eventId()))
                    .atPriority(1).willReturn(aResponse().withStatus(200)));
            assertThat(http("POST", base + "/" + id + "/replay", null).statusCode()).isEqualTo(401);
            assertThat(http("POST", base + "/" + id + "/replay", "ops-key-1").statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(20)).until(() -> http("GET", base + "/" + id, "ops-key-1").body()
                    .contains("\"state\":\"REPLAYED\""));
            assertThat(http("GET", base + "/" + id, "ops-key-1").body()).contains("1000003");
            assertThat(http("POST", base + "/" + id + "/replay", "ops-key-1").statusCode()).isEqualTo(404);
            crm.verify(2, postRequestedFor(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo(refused.eventId())));
        }
    }

    private static HttpResponse<String> http(String method, String url, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.mt5crmhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.TestCrm;
import io.mt5crmhub.testsupport.StoreQueries;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REST CRM (WireMock) that answers 500s, hangs past the timeout and resets connections: every event still
 * arrives with its Idempotency-Key, and the one it refuses with a 4xx is dead-lettered, never retried.
 */
class RestCrmFanOutIT {

    private static final String SERVER = "rest";
    private static final String PATH = "/crm/mt5/events";
    private static final String SECRET = "Bearer t0ps3cret-token";

    @TempDir
    Path dir;
    @RegisterExtension
    final WireMockExtension crm = TestCrm.onAFreePort();

    @BeforeEach
    void crmFailsBetweenSuccesses() {
        // the CRM cycles through failures: a 500, a hang longer than the response timeout, a reset, with successes between
        String[] states = { "Started", "ok1", "hang", "ok2", "reset", "ok3", "ok4", "ok5" };
        for (int i = 0; i < states.length; i++) {
            var response = switch (states[i]) {
                case "Started" -> aResponse().withStatus(500).withBody("{\"error\":\"database busy\"}");
                case "hang" -> aResponse().withStatus(200).withFixedDelay(2_000);
                case "reset" -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
                default -> aResponse().withStatus(200).withBody("{\"applied\":true}");
            };
            crm.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(states[i])
                    .willSetStateTo(states[(i + 1) % states.length]).willReturn(response));
        }
    }

    @Test
    void everyEventArrivesWithItsIdempotencyKeyAndA4xxIsNotRetried() throws Exception {
        List<Mt5Event> events = new ArrayList<>();
        for (long t = 1; t <= 40; t++) {
            events.add(EventSamples.deposit(SERVER, 1_000_000 + t, 50001 + t % 3, "10.00", "d" + t));
        }
        events.add(EventSamples.account(SERVER, 50001, "400.00", EventSamples.T0.plusSeconds(60)));
        Mt5Event refused = EventSamples.deposit(SERVER, 1_000_999, 59999, "1.00", "unknown login");
        crm.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing(refused.eventId())).atPriority(1)
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"login 59999 is not a CRM client\"}")));
        List<Mt5Event> stream = new ArrayList<>(events);
        stream.add(refused);
        stream.addAll(events.subList(0, 10)); // upstream duplicates
        Path file = EventSamples.writeJsonl(dir.resolve("rest.jsonl"), stream.stream().map(EventSamples::json).toList());
        Set<String> expected = events.stream().map(Mt5Event::eventId).collect(Collectors.toSet());

        try (EmbeddedHub hub = new EmbeddedHub()
                .with("mt5.servers", SERVER)
                .with("mt5.server." + SERVER + ".gateway", "replay")
                .with("mt5.server." + SERVER + ".file", file.toString())
                .with("hub.db.url", hubUrl())
                .with("hub.crm.rest.url", "http://127.0.0.1:" + crm.getPort() + PATH)
                .with("hub.crm.rest.authorization", SECRET)
                .with("hub.crm.rest.response-timeout", "500")
                .with("hub.crm.rest.breaker-open-seconds", "1")
                .start()) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(acceptedKeys()).containsAll(expected);
                assertThat(deadLetters()).isEqualTo(1);
            });
        }

        assertThat(acceptedKeys()).isEqualTo(expected);
        List<ServeEvent> all = crm.getAllServeEvents();
        assertThat(all).allSatisfy(e -> {
            assertThat(e.getRequest().getHeader("Authorization")).isEqualTo(SECRET);
            assertThat(e.getRequest().getHeader("Content-Type")).startsWith("application/json");
        });
        assertThat(all).as("some calls failed and were retried").anyMatch(e -> e.getResponse().getStatus() == 500);
        crm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo(refused.eventId())));
        StoreQueries store = new StoreQueries(dataSource());
        assertThat(store.rows("SELECT event_id, reason FROM hub_dead_letter")).singleElement().satisfies(row -> {
            assertThat(row.get(0)).isEqualTo(refused.eventId());
            assertThat((String) row.get(1)).startsWith("HTTP 422 from http://127.0.0.1:").contains("is not a CRM client");
        });
    }

    /** Idempotency keys the CRM answered with a 2xx. */
    private Set<String> acceptedKeys() {
        return crm.getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() == 200 && e.getResponse().getFault() == null
                        && e.getTiming() != null && e.getResponseDefinition().getFixedDelayMilliseconds() == null)
                .map(e -> e.getRequest().getHeader("Idempotency-Key"))
                .collect(Collectors.toSet());
    }

    private long deadLetters() {
        try {
            return new StoreQueries(dataSource()).count("SELECT COUNT(*) FROM hub_dead_letter");
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private String hubUrl() {
        return "jdbc:h2:file:" + dir.resolve("hub");
    }

    private JdbcDataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(hubUrl());
        ds.setUser("sa");
        return ds;
    }
}

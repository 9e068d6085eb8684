package io.mt5crmhub.gateway.webapi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.testsupport.Fuzz;
import io.mt5crmhub.testsupport.JsonMutator.Mutant;
import io.mt5crmhub.testsupport.JsonMutator;
import io.mt5crmhub.testsupport.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Hostile answers from an MT5 Web API server (WireMock speaking the documented protocol) through the real gateway:
 * mutated deal batches, broken HTTP, huge bodies. A read that cannot be used fails with a {@link GatewayException}
 * naming the problem, within the request timeout; what is read is what the server sent. A deal with an MT5 code the
 * hub does not know is left out and reported while the rest of the feed goes on.
 */
class WebApiGatewayFuzzTest {

    private static final String SRV_RAND = "3a0b5c7d9e1f20314253647586970a1b";
    private static final String SRV_RAND_ANSWER = "e17464782ffea4dd8d227ad80e35429f";
    private static final String CLI_RAND = "00112233445566778899aabbccddeeff";
    private static final String CLI_RAND_ANSWER = "d4cb7f3f7ba44008da298290ee406a64";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WireMockServer mt5;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger unclassifiedLog = (Logger) LoggerFactory.getLogger(UnclassifiedRecords.class);

    @BeforeEach
    void startMt5() {
        mt5 = new WireMockServer(options().dynamicPort());
        mt5.start();
        mt5.stubFor(get(urlPathEqualTo("/api/auth/start")).willReturn(okJson("{\"retcode\":\"0 Done\",\"srv_rand\":\""
                + SRV_RAND + "\"}").withHeader("Set-Cookie", "MT5SESSION=abc123; Path=/")));
        mt5.stubFor(get(urlPathEqualTo("/api/auth/answer")).withQueryParam("srv_rand_answer", equalTo(SRV_RAND_ANSWER))
                .willReturn(okJson("{\"retcode\":\"0 Done\",\"cli_rand_answer\":\"" + CLI_RAND_ANSWER + "\"}")));
        mt5.stubFor(get(urlPathEqualTo("/api/test/access")).willReturn(okJson("{\"retcode\":\"0 Done\"}")));
        mt5.stubFor(get(urlPathEqualTo("/api/time/server")).willReturn(okJson("{\"retcode\":\"13 Not found\"}")));
        mt5.stubFor(get(urlPathEqualTo("/api/user/get_batch")).willReturn(okJson(WebApiJsonFuzzTest.USERS)));
        mt5.stubFor(get(urlPathEqualTo("/api/position/get_batch")).willReturn(okJson("{\"retcode\":\"0 Done\",\"answer\":[]}")));
        mt5.stubFor(get(urlPathEqualTo("/api/deal/get_batch")).willReturn(okJson(WebApiJsonFuzzTest.DEALS)));
        log.start();
        unclassifiedLog.addAppender(log);
    }

    @AfterEach
    void stopMt5() {
        unclassifiedLog.detachAppender(log);
        mt5.stop();
    }

    @Test
    void hostileDealAnswersAreGatewayErrorsOrReadAsSentAndNeverHang() throws Exception {
        long seed = Fuzz.seed("Web API gateway");
        JsonMutator mutator = new JsonMutator(new Random(seed), 0.01);
        int cases = Math.max(1, Fuzz.cases(6000) / 10);
        WebApiGateway gateway = connected("request-timeout", "2s");
        Instant from = Instant.parse("2025-11-24T13:00:00Z");
        Instant to = Instant.parse("2025-11-24T15:00:00Z");
        int[] outcomes = new int[2];
        long started = System.nanoTime();
        try {
            for (int i = 0; i < cases; i++) {
                Mutant mutant = mutator.random().nextInt(10) == 0 ? broken(mutator.random())
                        : mutator.mutate(WebApiJsonFuzzTest.DEALS);
                mt5.stubFor(get(urlPathEqualTo("/api/deal/get_batch")).willReturn(answer(mutant)));
                Fuzz.check(seed, i, mutant, () -> outcomes[Fuzz.within(Duration.ofSeconds(30), () -> {
                    try {
                        List<Mt5Event> deals = gateway.dealHistory(from, to);
                        assertReadAsSent(deals, mutant);
                        return 0;
                    } catch (GatewayException e) {
                        assertThat(e.getMessage()).as("the reason").isNotBlank().hasSizeLessThan(2_000);
                        return 1;
                    }
                })]++);
            }
        } finally {
            gateway.disconnect();
        }
        System.out.printf("fuzz Web API gateway: %d answers, %d read, %d refused, in %d ms%n", cases, outcomes[0],
                outcomes[1], Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @Test
    void aDealWithAnUnknownCodeIsReportedOnceAndSkippedWhileTheFeedGoesOn() throws Exception {
        long now = Instant.now().getEpochSecond();
        String first = deal(9001, now - 30, "2");
        String unknown = deal(9002, now - 20, "99");
        String third = deal(9003, now - 10, "6");
        stubDeals(first, unknown, third);
        RecordingListener recorder = new RecordingListener();
        WebApiGateway gateway = gateway("poll-interval", "100ms");
        try {
            gateway.connect(recorder);
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.dealTickets().size() >= 2);
            long polled = dealPolls();
            await().atMost(Duration.ofSeconds(10)).until(() -> dealPolls() >= polled + 3);

            assertThat(recorder.dealTickets()).containsExactly(9001L, 9003L);
            assertThat(gateway.isConnected()).isTrue();
            assertThat(recorder.calls()).containsExactly("connected");
            assertThat(gateway.skippedRecords()).isEqualTo(1);
            assertThat(log.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("MT5 server live1", "deal 9002", "Action 99");
            });

            stubDeals(first, unknown, third, deal(9004, now - 5, "2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.dealTickets().contains(9004L));
            assertThat(recorder.dealTickets()).containsExactly(9001L, 9003L, 9004L);
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void aServerClockYearsOffDoesNotSendTheFeedBackToThen() throws Exception {
        mt5.stubFor(get(urlPathEqualTo("/api/time/server")).willReturn(okJson(
                "{\"retcode\":\"0 Done\",\"answer\":{\"Time\":\"0\"}}")));
        WebApiGateway gateway = gateway("poll-interval", "100ms");
        try {
            gateway.connect(new RecordingListener());
            await().atMost(Duration.ofSeconds(10)).until(() -> dealPolls() >= 2);
        } finally {
            gateway.disconnect();
        }

        long dayAgo = Instant.now().minus(Duration.ofDays(1)).getEpochSecond();
        assertThat(mt5.findAll(getRequestedFor(urlPathEqualTo("/api/deal/get_batch"))))
                .extracting(r -> Long.parseLong(r.queryParameter("from").firstValue())).allMatch(f -> f > dayAgo);
    }

    @Test
    void anAnswerLaterThanTheRequestTimeoutIsAGatewayErrorInTime() throws Exception {
        mt5.stubFor(get(urlPathEqualTo("/api/deal/get_batch")).willReturn(okJson(WebApiJsonFuzzTest.DEALS)
                .withFixedDelay(5_000)));
        WebApiGateway gateway = connected("request-timeout", "1s");
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> gateway.dealHistory(Instant.parse("2025-11-24T13:00:00Z"),
                    Instant.parse("2025-11-24T14:00:00Z"))).isInstanceOf(GatewayException.class)
                    .hasMessageContaining("did not answer");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        } finally {
            gateway.disconnect();
        }
    }

    // --- support ------------------------------------------------------------------------------------------------

    /** Deals read from an answer are deals the answer holds, each once, with the ticket and login it gave. */
    private static void assertReadAsSent(List<Mt5Event> deals, Mutant mutant) throws Exception {
        if (deals.isEmpty()) {
            return;
        }
        JsonNode answer = WebApiValues.field(JSON.readTree(mutant.bytes()), "answer");
        Map<Long, Long> sent = new HashMap<>();
        for (JsonNode record : answer.isArray() ? answer : List.of(answer)) {
            sent.put(record.path("Deal").asLong(), WebApiValues.field(record, "Login").asLong());
        }
        Set<Long> seen = new HashSet<>();
        for (Mt5Event deal : deals) {
            assertThat(seen.add(deal.deal().ticket())).as("deal " + deal.deal().ticket() + " once").isTrue();
            assertThat(sent).as("the answer holds deal " + deal.deal().ticket())
                    .containsEntry(deal.deal().ticket(), deal.login());
        }
    }

    /** Broken HTTP rather than a broken body. */
    private static Mutant broken(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> new Mutant("fault empty response", new byte[0]);
            case 1 -> new Mutant("fault reset", new byte[0]);
            case 2 -> new Mutant("fault malformed chunk", new byte[0]);
            case 3 -> new Mutant("fault random data", new byte[0]);
            case 4 -> new Mutant("status 500", JsonMutator.utf8("<html>500</html>"));
            case 5 -> new Mutant("status 404", JsonMutator.utf8("{\"retcode\":\"0 Done\",\"answer\":[]}"));
            case 6 -> new Mutant("status 200 html", JsonMutator.utf8("<html><body>maintenance</body></html>"));
            default -> new Mutant("status 200 empty", new byte[0]);
        };
    }

    private static ResponseDefinitionBuilder answer(Mutant mutant) {
        String kind = mutant.kind();
        if (kind.startsWith("fault")) {
            return aResponse().withFault(switch (kind) {
                case "fault empty response" -> Fault.EMPTY_RESPONSE;
                case "fault reset" -> Fault.CONNECTION_RESET_BY_PEER;
                case "fault malformed chunk" -> Fault.MALFORMED_RESPONSE_CHUNK;
                default -> Fault.RANDOM_DATA_THEN_CLOSE;
            });
        }
        int status = kind.startsWith("status ") ? Integer.parseInt(kind.substring(7, 10)) : 200;
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(mutant.bytes());
    }

    private static String deal(long ticket, long serverSeconds, String action) {
        return "{\"Deal\":\"" + ticket + "\",\"Login\":\"50012\",\"Order\":\"0\",\"Action\":\"" + action + "\","
                + "\"Entry\":\"0\",\"Reason\":\"2\",\"Time\":\"" + serverSeconds + "\",\"TimeMsc\":\"" + serverSeconds * 1000
                + "\",\"Symbol\":\"\",\"Price\":\"0\",\"Volume\":\"0\",\"Profit\":\"10.00\",\"Storage\":\"0\","
                + "\"Commission\":\"0\",\"Fee\":\"0\",\"PositionID\":\"0\",\"Comment\":\"crm:TX-" + ticket + "\"}";
    }

    private void stubDeals(String... deals) {
        mt5.stubFor(get(urlPathEqualTo("/api/deal/get_batch")).willReturn(okJson("{\"retcode\":\"0 Done\",\"answer\":["
                + String.join(",", deals) + "]}")));
    }

    private long dealPolls() {
        List<LoggedRequest> requests = mt5.findAll(getRequestedFor(urlPathEqualTo("/api/deal/get_batch")));
        return requests.size();
    }

    private WebApiGateway connected(String... overrides) throws Exception {
        WebApiGateway gateway = gateway(overrides);
        gateway.connect(new RecordingListener());
        return gateway;
    }

    private WebApiGateway gateway(String... overrides) {
        WebApiSettings settings = WebApiTestSettings.of(Map.of("address", "127.0.0.1:" + mt5.port(), "login", "1000",
                "password", "Pa55w0rd!", "tls", "false", "poll-interval", "1h", "snapshot-interval", "1h",
                "max-requests-per-second", "1000"), overrides);
        return new WebApiGateway(settings, Instant::now, () -> new WebApiClient(settings, () -> CLI_RAND));
    }
}

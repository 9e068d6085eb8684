package io.mt5crmhub.gateway.webapi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.mt5crmhub.testsupport.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestNotSentException;

/**
 * The client against answers written by hand from the public Web API documentation (reference/mt5-api.md §2), not
 * produced by our simulator server, so that the server and the client cannot share a mistake unnoticed. The
 * handshake uses the worked example of {@link WebApiAuthTest}: password {@code Pa55w0rd!}, srv_rand
 * {@code 3a0b5c7d…}, cli_rand {@code 00112233…}.
 */
class WebApiDocumentedAnswersTest {

    private static final String SRV_RAND = "3a0b5c7d9e1f20314253647586970a1b";
    private static final String SRV_RAND_ANSWER = "e17464782ffea4dd8d227ad80e35429f";
    private static final String CLI_RAND = "00112233445566778899aabbccddeeff";
    private static final String CLI_RAND_ANSWER = "d4cb7f3f7ba44008da298290ee406a64";
    /** 2025-11-24T16:00:12Z in server-local seconds of a GMT+2 server, i.e. 14:00:12 UTC. */
    private static final long LOCAL = Instant.parse("2025-11-24T16:00:12Z").getEpochSecond();

    /** Two deal records as documented (a deposit, a trade), for answers built around them. */
    static final String DOCUMENTED_DEAL_RECORDS = ""
            + "{\"Deal\":\"11918642\",\"ExternalID\":\"\",\"Login\":\"50012\",\"Dealer\":\"1000\",\"Order\":\"0\","
            + "\"Action\":\"2\",\"Entry\":\"0\",\"Reason\":\"2\",\"Time\":\"" + LOCAL + "\",\"TimeMsc\":\"" + (LOCAL * 1000)
            + "\",\"Symbol\":\"\",\"Price\":\"0\",\"Volume\":\"0\",\"Profit\":\"100.00\",\"Storage\":\"0.00\","
            + "\"Commission\":\"0.00\",\"Fee\":\"0.00\",\"PositionID\":\"0\",\"Comment\":\"crm:TX-9\"},"
            + "{\"Deal\":\"11918643\",\"Login\":\"50012\",\"Order\":\"7001\",\"Action\":\"0\",\"Entry\":\"0\","
            + "\"Reason\":\"0\",\"Time\":\"" + (LOCAL + 1) + "\",\"TimeMsc\":\"" + ((LOCAL + 1) * 1000 + 250)
            + "\",\"Symbol\":\"EURUSD\",\"Price\":\"1.08512\",\"Volume\":\"10000\",\"VolumeExt\":\"100000000\","
            + "\"Profit\":\"0.00\",\"Storage\":\"0.00\",\"Commission\":\"-3.50\",\"Fee\":\"0.00\",\"PositionID\":\"7001\","
            + "\"Comment\":\"\"}";
    private static final String DEALS = "{\"retcode\":\"0 Done\",\"answer\":[" + DOCUMENTED_DEAL_RECORDS + "]}";
    private static final String USERS = "{\"retcode\":\"0 Done\",\"answer\":[{\"Login\":\"50012\","
            + "\"Group\":\"real\\\\usd\",\"Name\":\"Jane Doe\",\"Email\":\"jane@example.com\",\"Leverage\":\"100\","
            + "\"Agent\":\"0\",\"Balance\":\"100.00\",\"Credit\":\"0.00\",\"Registration\":\"" + LOCAL + "\"}]}";

    private WireMockServer mt5;

    @BeforeEach
    void startMt5() {
        mt5 = new WireMockServer(options().dynamicPort());
        mt5.start();
        mt5.stubFor(get(urlPathEqualTo("/api/auth/start")).withQueryParam("login", equalTo("1000"))
                .withQueryParam("type", equalTo("manager")).withQueryParam("version", matching("\\d+"))
                .willReturn(okJson("{\"retcode\":\"0 Done\",\"version_access\":\"3470\",\"srv_rand\":\"" + SRV_RAND + "\"}")
                        .withHeader("Set-Cookie", "MT5SESSION=abc123; Path=/")));
        mt5.stubFor(get(urlPathEqualTo("/api/auth/answer")).withQueryParam("srv_rand_answer", equalTo(SRV_RAND_ANSWER))
                .withQueryParam("cli_rand", equalTo(CLI_RAND))
                .willReturn(okJson("{\"retcode\":\"0 Done\",\"version_trade\":\"3470\",\"cli_rand_answer\":\""
                        + CLI_RAND_ANSWER + "\"}")));
        mt5.stubFor(get(urlPathEqualTo("/api/test/access")).willReturn(okJson("{\"retcode\":\"0 Done\"}")));
        mt5.stubFor(get(urlPathEqualTo("/api/time/server")).willReturn(okJson("{\"retcode\":\"13 Not found\"}")));
        mt5.stubFor(get(urlPathEqualTo("/api/user/get_batch")).willReturn(okJson(USERS)));
        mt5.stubFor(get(urlPathEqualTo("/api/position/get_batch")).willReturn(okJson("{\"retcode\":\"0 Done\",\"answer\":[]}")));
        mt5.stubFor(get(urlPathEqualTo("/api/deal/get_batch")).willReturn(okJson(DEALS)));
    }

    @AfterEach
    void stopMt5() {
        mt5.stop();
    }

    @Test
    void theHandshakeAnswersTheServerAndChecksItsAnswerThenKeepsTheCookie() throws Exception {
        WebApiClient client = client("Pa55w0rd!");

        client.login();
        client.ping();

        assertThat(client.logins()).isEqualTo(1);
        mt5.verify(getRequestedFor(urlPathEqualTo("/api/test/access")).withCookie("MT5SESSION", equalTo("abc123")));
    }

    @Test
    void aWrongPasswordIsRefusedWithMt5sRetcode() {
        mt5.stubFor(get(urlPathEqualTo("/api/auth/answer")).atPriority(1)
                .withQueryParam("srv_rand_answer", matching("(?!" + SRV_RAND_ANSWER + ").*"))
                .willReturn(aResponse().withStatus(403).withBody("{\"retcode\":\"3006 Invalid account password\"}")));

        assertThatThrownBy(() -> client("wrong-password").login()).isInstanceOf(WebApiException.class)
                .hasMessage("MT5 server 127.0.0.1:" + mt5.port() + " refused the login of manager 1000"
                        + " (3006 Invalid account password)")
                .extracting(e -> ((WebApiException) e).kind()).isEqualTo(WebApiException.Kind.AUTH_REFUSED);
    }

    @Test
    void aServerThatCannotProveItKnowsThePasswordIsRefused() {
        mt5.stubFor(get(urlPathEqualTo("/api/auth/answer")).atPriority(1).willReturn(okJson(
                "{\"retcode\":\"0 Done\",\"cli_rand_answer\":\"00000000000000000000000000000000\"}")));

        assertThatThrownBy(() -> client("Pa55w0rd!").login()).isInstanceOf(WebApiException.class)
                .hasMessageContaining("did not prove it knows the password");
    }

    @Test
    void a403LogsInAgainAndRetriesOnce() throws Exception {
        mt5.stubFor(get(urlPathEqualTo("/api/deal/get_batch")).inScenario("expiry").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(403)).willSetStateTo("renewed"));
        mt5.stubFor(get(urlPathEqualTo("/api/deal/get_batch")).inScenario("expiry").whenScenarioStateIs("renewed")
                .willReturn(okJson(DEALS)));
        WebApiClient client = client("Pa55w0rd!");
        client.login();

        WebApiJson.Envelope answer = client.get("/api/deal/get_batch", Map.of("group", "*", "from", "0", "to", "1"));

        assertThat(WebApiJson.records(answer.answer())).hasSize(2);
        assertThat(client.logins()).isEqualTo(2);
        mt5.verify(2, getRequestedFor(urlPathEqualTo("/api/deal/get_batch")));
    }

    @Test
    void a403RightAfterAFreshLoginIsNotRetriedAgain() throws Exception {
        mt5.stubFor(get(urlPathEqualTo("/api/deal/get_batch")).atPriority(1).willReturn(aResponse().withStatus(403)));
        WebApiClient client = client("Pa55w0rd!");

        assertThatThrownBy(() -> client.get("/api/deal/get_batch", Map.of("group", "*", "from", "0", "to", "1")))
                .isInstanceOf(WebApiException.class).hasMessageContaining("403")
                .extracting(e -> ((WebApiException) e).kind()).isEqualTo(WebApiException.Kind.AUTH_REFUSED);
        mt5.verify(2, getRequestedFor(urlPathEqualTo("/api/deal/get_batch")));
    }

    @Test
    void dealHistoryAsksInServerTimeAndParsesStringNumbers() throws Exception {
        WebApiGateway gateway = gateway("timezone-minutes", "120");
        try {
            gateway.connect(new RecordingListener());
            Instant from = Instant.parse("2025-11-24T13:00:00Z");
            Instant to = Instant.parse("2025-11-24T15:00:00Z");

            List<Mt5Event> deals = gateway.dealHistory(from, to);

            assertThat(deals).extracting(e -> e.deal().ticket()).containsExactly(11918642L, 11918643L);
            Mt5Event deposit = deals.get(0);
            assertThat(deposit.eventId()).isEqualTo("live1:deal:11918642:added");
            assertThat(deposit.occurredAt()).isEqualTo(Instant.parse("2025-11-24T14:00:12Z"));
            assertThat(deposit.group()).as("from the users snapshot").isEqualTo("real\\usd");
            assertThat(deposit.deal().profit()).isEqualByComparingTo("100.00");
            assertThat(deals.get(1).deal().volume()).isEqualByComparingTo("1");
            assertThat(deals.get(1).deal().commission()).isEqualByComparingTo("-3.50");
            assertThat(deals.get(1).occurredAt()).isEqualTo(Instant.parse("2025-11-24T14:00:13.250Z"));
            // from and to are whole seconds on the server's clock (UTC + 2 h); group is the configured mask
            mt5.verify(getRequestedFor(urlPathEqualTo("/api/deal/get_batch")).withQueryParam("group", equalTo("real*"))
                    .withQueryParam("from", equalTo(Long.toString(Instant.parse("2025-11-24T15:00:00Z").getEpochSecond()))));
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void snapshotsReportOnlyWhatChanged() throws Exception {
        RecordingListener recorder = new RecordingListener();
        WebApiGateway gateway = gateway("snapshot-interval", "100ms");
        try {
            gateway.connect(recorder);
            long snapshots = mt5.countRequestsMatching(getRequestedFor(urlPathEqualTo("/api/user/get_batch")).build())
                    .getCount();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> mt5
                    .countRequestsMatching(getRequestedFor(urlPathEqualTo("/api/user/get_batch")).build()).getCount()
                    >= snapshots + 3);
            assertThat(recorder.events(io.mt5crmhub.event.EntityType.ACCOUNT)).as("the same user again is no change")
                    .isEmpty();

            mt5.stubFor(get(urlPathEqualTo("/api/user/get_batch")).atPriority(1).willReturn(okJson(
                    USERS.replace("\"Balance\":\"100.00\"", "\"Balance\":\"350.00\""))));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> !recorder.events(io.mt5crmhub.event.EntityType.ACCOUNT).isEmpty());
            long seen = mt5.countRequestsMatching(getRequestedFor(urlPathEqualTo("/api/user/get_batch")).build())
                    .getCount();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> mt5
                    .countRequestsMatching(getRequestedFor(urlPathEqualTo("/api/user/get_batch")).build()).getCount()
                    >= seen + 3); // a few more snapshots of the same new content
            assertThat(recorder.events(io.mt5crmhub.event.EntityType.ACCOUNT)).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(io.mt5crmhub.event.EventType.ACCOUNT_UPDATED);
                assertThat(e.account().balance()).isEqualByComparingTo("350.00");
                assertThat(e.eventId()).startsWith("live1:account:50012:updated:");
            });
            assertThat(gateway.accounts()).singleElement().extracting(Mt5Event::eventId)
                    .as("the full re-read after a reconnect gives the same id for the same content")
                    .isEqualTo(recorder.events(io.mt5crmhub.event.EntityType.ACCOUNT).get(0).eventId());
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void aVanishedPositionIsDeletedWithALaterVersionThanItsLastUpdate() throws Exception {
        String position = "{\"Position\":\"5000123\",\"Login\":\"50012\",\"Symbol\":\"EURUSD\",\"Action\":\"1\","
                + "\"TimeCreate\":\"1795960800\",\"TimeCreateMsc\":\"1795960800000\",\"TimeUpdate\":\"1795960860\","
                + "\"TimeUpdateMsc\":\"1795960860007\",\"PriceOpen\":\"1.08500\",\"PriceCurrent\":\"1.08400\","
                + "\"PriceSL\":\"0.00000\",\"PriceTP\":\"1.07000\",\"Volume\":\"5000\",\"Profit\":\"50.00\","
                + "\"Storage\":\"-1.20\",\"Comment\":\"\"}";
        mt5.stubFor(get(urlPathEqualTo("/api/position/get_batch")).atPriority(1)
                .willReturn(okJson("{\"retcode\":\"0 Done\",\"answer\":[" + position + "]}")));
        RecordingListener recorder = new RecordingListener();
        WebApiGateway gateway = gateway("snapshot-interval", "100ms");
        try {
            gateway.connect(recorder);
            Instant lastUpdate = gateway.openPositions().get(0).position().updatedAt();

            mt5.stubFor(get(urlPathEqualTo("/api/position/get_batch")).atPriority(1)
                    .willReturn(okJson("{\"retcode\":\"0 Done\",\"answer\":[]}")));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> !recorder.events(io.mt5crmhub.event.EntityType.POSITION).isEmpty());

            assertThat(recorder.events(io.mt5crmhub.event.EntityType.POSITION)).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(io.mt5crmhub.event.EventType.POSITION_DELETED);
                // the CRM applies a position change only over an older version: the close must be newer
                assertThat(e.position().updatedAt()).isAfter(lastUpdate);
            });
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void balanceSendsTypeSignedAmountCommentAndCheckMarginOnce() throws Exception {
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance"))
                .willReturn(okJson("{\"retcode\":\"0 Done\",\"answer\":{\"Ticket\":\"136623\"}}")));
        WebApiGateway gateway = connected();
        try {
            BalanceResult result = gateway.balance(new BalanceOrder(50012, DealAction.BALANCE, new BigDecimal("-250.50"),
                    "crm:TX-1"));

            assertThat(result.isDone()).isTrue();
            assertThat(result.dealTicket()).isEqualTo(136623);
            mt5.verify(1, postRequestedFor(urlPathEqualTo("/api/trade/balance")).withQueryParam("login", equalTo("50012"))
                    .withQueryParam("type", equalTo("2")).withQueryParam("balance", equalTo("-250.50"))
                    .withQueryParam("comment", equalTo("crm:TX-1")).withQueryParam("check_margin", equalTo("1")));
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void balanceRefusalsAreResultsWithMt5sRetcode() throws Exception {
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance")).withQueryParam("type", equalTo("2"))
                .willReturn(okJson("{\"retcode\":\"10019 Not enough money\"}")));
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance")).withQueryParam("type", equalTo("3"))
                .willReturn(okJson("{\"retcode\":\"12 Too frequent requests\"}")));
        WebApiGateway gateway = connected();
        try {
            BalanceResult noMoney = gateway.balance(new BalanceOrder(50012, DealAction.BALANCE, new BigDecimal("-1e6"),
                    "crm:TX-2"));
            BalanceResult flood = gateway.balance(new BalanceOrder(50012, DealAction.CREDIT, BigDecimal.TEN, "crm:TX-3"));

            assertThat(noMoney.retcode()).isEqualTo(Mt5Retcode.REQUEST_NO_MONEY);
            assertThat(noMoney.message()).contains("10019 Not enough money");
            assertThat(flood.retcode()).isEqualTo(Mt5Retcode.ERR_FREQUENT);
            mt5.verify(2, postRequestedFor(urlPathEqualTo("/api/trade/balance")));
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void aBalanceCallWithoutAnAnswerIsAnUnknownOutcomeAndIsNeverSentAgain() throws Exception {
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance")).withQueryParam("comment", equalTo("crm:slow"))
                .willReturn(okJson("{\"retcode\":\"0 Done\",\"answer\":{\"Ticket\":\"1\"}}").withFixedDelay(3_000)));
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance")).withQueryParam("comment", equalTo("crm:broken"))
                .willReturn(aResponse().withStatus(502).withBody("Bad Gateway")));
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance")).withQueryParam("comment", equalTo("crm:unsure"))
                .willReturn(okJson("{\"retcode\":\"9 Timeout\"}")));
        WebApiGateway gateway = connected("request-timeout", "1s");
        try {
            assertThatThrownBy(() -> gateway.balance(order("crm:slow"))).isInstanceOf(GatewayException.class)
                    .hasMessageContaining("unknown outcome").hasMessageContaining("look it up")
                    .extracting(e -> ((GatewayException) e).retcode()).isEqualTo(Mt5Retcode.ERR_TIMEOUT);
            assertThatThrownBy(() -> gateway.balance(order("crm:broken"))).isInstanceOf(GatewayException.class)
                    .hasMessageContaining("HTTP 502");
            assertThatThrownBy(() -> gateway.balance(order("crm:unsure"))).isInstanceOf(GatewayException.class)
                    .hasMessageContaining("9 Timeout");

            for (String comment : List.of("crm:slow", "crm:broken", "crm:unsure")) {
                mt5.verify(1, postRequestedFor(urlPathEqualTo("/api/trade/balance"))
                        .withQueryParam("comment", equalTo(comment)));
            }
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void aBalanceCallWhoseConnectionDropsAfterTheServerTookItIsSentOnceAndLeftUnknown() throws Exception {
        // the server takes the command, then the kept-alive connection closes with no answer: the JDK client
        // repeats a GET silently here, a POST never
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance"))
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        WebApiGateway gateway = connected();
        try {
            gateway.dealHistory(Instant.parse("2026-11-24T00:00:00Z"), Instant.parse("2026-11-24T01:00:00Z"));

            assertThatThrownBy(() -> gateway.balance(order("crm:dropped"))).isInstanceOf(GatewayException.class)
                    .isNotInstanceOf(RequestNotSentException.class).hasMessageContaining("unknown outcome");
            mt5.verify(1, postRequestedFor(urlPathEqualTo("/api/trade/balance")));
            mt5.verify(0, getRequestedFor(urlPathEqualTo("/api/trade/balance")));
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void aBalanceCallThatFindsTheServerRefusingConnectionsIsKnownNotSent() throws Exception {
        WebApiGateway gateway = connected();
        int port = mt5.port();
        try {
            mt5.stop(); // nothing listens on the port any more: connect() is refused before anything is written

            assertThatThrownBy(() -> gateway.balance(order("crm:refused"))).isInstanceOf(RequestNotSentException.class)
                    .hasMessageContaining("was not sent").hasMessageContaining("127.0.0.1:" + port);
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void aBalanceCallTurnedAwayByAnExpiredSessionWhoseReloginFailsIsKnownNotSent() throws Exception {
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance")).willReturn(aResponse().withStatus(403)));
        WebApiGateway gateway = connected();
        try {
            mt5.stubFor(get(urlPathEqualTo("/api/auth/start")).willReturn(aResponse().withStatus(503)));

            assertThatThrownBy(() -> gateway.balance(order("crm:expired"))).isInstanceOf(RequestNotSentException.class)
                    .hasMessageContaining("was not sent");
            mt5.verify(1, postRequestedFor(urlPathEqualTo("/api/trade/balance")));
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void onlyDefiniteRefusalsAreRefusalsAnyOtherRetcodeLeavesTheOutcomeUnknown() throws Exception {
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance")).withQueryParam("comment", equalTo("crm:common"))
                .willReturn(okJson("{\"retcode\":\"2 Common error\"}")));
        mt5.stubFor(post(urlPathEqualTo("/api/trade/balance")).withQueryParam("comment", equalTo("crm:nologin"))
                .willReturn(okJson("{\"retcode\":\"13 Not found\"}")));
        WebApiGateway gateway = connected();
        try {
            assertThatThrownBy(() -> gateway.balance(order("crm:common"))).isInstanceOf(GatewayException.class)
                    .hasMessageContaining("unknown outcome").hasMessageContaining("2 Common error");
            assertThat(gateway.balance(order("crm:nologin")).retcode()).isEqualTo(Mt5Retcode.ERR_NOTFOUND);
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void findDealsAsksByLoginAndKeepsOnlyTheExactComment() throws Exception {
        WebApiGateway gateway = connected();
        try {
            List<Mt5Event> found = gateway.findDeals(50012, "crm:TX-9", Instant.parse("2025-11-24T00:00:00Z"));

            assertThat(found).extracting(e -> e.deal().ticket()).containsExactly(11918642L);
            mt5.verify(getRequestedFor(urlPathEqualTo("/api/deal/get_batch")).withQueryParam("login", equalTo("50012")));
        } finally {
            gateway.disconnect();
        }
    }

    @Test
    void floodControlIsReportedAsSuch() throws Exception {
        mt5.stubFor(get(urlPathEqualTo("/api/deal/get_batch")).atPriority(1)
                .willReturn(okJson("{\"retcode\":\"12 Too frequent requests\"}")));
        WebApiClient client = client("Pa55w0rd!");

        assertThatThrownBy(() -> client.get("/api/deal/get_batch", Map.of("group", "*")))
                .isInstanceOf(WebApiException.class)
                .extracting(e -> ((WebApiException) e).kind()).isEqualTo(WebApiException.Kind.FLOOD);
    }

    // --- support ------------------------------------------------------------------------------------------------

    private static BalanceOrder order(String comment) {
        return new BalanceOrder(50012, DealAction.BALANCE, new BigDecimal("10"), comment);
    }

    private WebApiGateway connected(String... overrides) throws Exception {
        WebApiGateway gateway = gateway(overrides);
        gateway.connect(new RecordingListener());
        return gateway;
    }

    private WebApiGateway gateway(String... overrides) {
        WebApiSettings settings = settings("Pa55w0rd!", overrides);
        return new WebApiGateway(settings, Instant::now, () -> new WebApiClient(settings, () -> CLI_RAND));
    }

    private WebApiClient client(String password) {
        return new WebApiClient(settings(password), () -> CLI_RAND);
    }

    private WebApiSettings settings(String password, String... overrides) {
        return WebApiTestSettings.of(Map.of("address", "127.0.0.1:" + mt5.port(), "login", "1000",
                "password", password, "tls", "false", "groups", "real*", "poll-interval", "1h",
                "snapshot-interval", "1h", "max-requests-per-second", "1000"), overrides);
    }
}

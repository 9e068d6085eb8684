package io.mt5crmhub.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mt5crmhub.app.HubConfiguration;
import io.mt5crmhub.component.Mt5Component;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.simulator.SimulatorGateway;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.StoreQueries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The balance API as a CRM calls it, on the hub's HTTP server with the in-process simulator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BalanceApiTest {

    private static final String KEY = "k-3f9a7c1e5b";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Path dir;
    private EmbeddedHub hub;
    private String base;
    private SimulatorGateway sim;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        hub = new EmbeddedHub()
                .httpOnAFreePort()
                .with("hub.api.keys", "other-key, " + KEY)
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                .with("mt5.server.sim.data-dir", dir.toString())
                .with("mt5.server.sim.rate", "5")
                .start();
        base = hub.baseUrl();
        sim = (SimulatorGateway) hub.context().getComponent("mt5", Mt5Component.class).connections().get("sim").source();
        await().atMost(Duration.ofSeconds(20)).until(sim::isConnected);
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void withoutAValidKeyTheAnswerIs401AndTheKeyIsNeverEchoed() throws Exception {
        String body = deposit("TX-AUTH", login(), "1.00");
        HttpResponse<String> none = post(body, null);
        HttpResponse<String> wrong = post(body, "Bearer not-the-key");
        HttpResponse<String> basic = post(body, "Basic " + KEY);
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/balance-operations/TX-AUTH")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(List.of(none, wrong, basic, get)).extracting(HttpResponse::statusCode).containsOnly(401);
        assertThat(wrong.headers().map().toString()).doesNotContain("not-the-key");
        assertThat(JSON.readTree(wrong.body()).get("error").asText()).contains("Bearer");
        HttpResponse<String> ok = post(deposit("TX-AUTH-OK", login(), "1.00"), "Bearer " + KEY);
        assertThat(ok.statusCode()).isIn(200, 202);
        assertThat(ok.headers().map().toString()).doesNotContain(KEY);
        assertThat(ok.body()).doesNotContain(KEY);
    }

    @Test
    void aDepositIsConfirmedWithItsDealTicketAndReadBack() throws Exception {
        long login = login();
        HttpResponse<String> posted = post(deposit("TX-1001", login, "250.00"), "Bearer " + KEY);

        assertThat(posted.statusCode()).isEqualTo(200);
        JsonNode op = JSON.readTree(posted.body());
        assertThat(op.get("state").asText()).isEqualTo("CONFIRMED");
        assertThat(op.get("dealTicket").asLong()).isPositive();
        assertThat(op.get("retcode").asInt()).isEqualTo(10009);
        assertThat(op.get("reference").asText()).isEqualTo("crm:TX-1001");
        assertThat(op.get("amount").asText()).isEqualTo("250.00");
        JsonNode read = JSON.readTree(get("TX-1001").body());
        assertThat(read.get("state").asText()).isEqualTo("CONFIRMED");
        assertThat(read.get("dealTicket").asLong()).isEqualTo(op.get("dealTicket").asLong());
        assertThat(get("TX-NEVER").statusCode()).isEqualTo(404);
    }

    @Test
    void twentyConcurrentPostsOfOneCrmTxnIdMakeOneDeal() throws Exception {
        long login = login();
        String body = deposit("TX-HTTP-20", login, "20.00");
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            posts.add(HTTP.sendAsync(request(body, "Bearer " + KEY), HttpResponse.BodyHandlers.ofString()));
        }
        List<Long> tickets = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> p : posts) {
            HttpResponse<String> r = p.get();
            assertThat(r.statusCode()).isIn(200, 202);
            tickets.add(JSON.readTree(r.body()).get("dealTicket").asLong());
        }

        assertThat(sim.findDeals(login, "crm:TX-HTTP-20", Instant.EPOCH)).hasSize(1);
        assertThat(tickets).containsOnly(tickets.get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(get("TX-HTTP-20").body()).get("state")
                .asText().equals("CONFIRMED"));
    }

    @Test
    void theSameIdWithOtherParametersIs409AndTheSameIdAgainReturnsTheStoredState() throws Exception {
        long login = login();
        HttpResponse<String> first = post(deposit("TX-409", login, "10.00"), "Bearer " + KEY);
        HttpResponse<String> again = post(deposit("TX-409", login, "10.00"), "Bearer " + KEY);
        HttpResponse<String> other = post(deposit("TX-409", login, "12.00"), "Bearer " + KEY);

        assertThat(again.statusCode()).isEqualTo(first.statusCode());
        assertThat(JSON.readTree(again.body()).get("dealTicket").asLong())
                .isEqualTo(JSON.readTree(first.body()).get("dealTicket").asLong());
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(other.body()).get("field").asText()).isEqualTo("crmTxnId");
        assertThat(sim.findDeals(login, "crm:TX-409", Instant.EPOCH)).hasSize(1);
    }

    @Test
    void aLostAnswerEndsConfirmedWithNoSecondDeal() throws Exception {
        long login = login();
        BigDecimal before = balance(login);
        sim.faults().dropNextBalanceAnswers(1);

        HttpResponse<String> posted = post(deposit("TX-DROP", login, "33.00"), "Bearer " + KEY);
        HttpResponse<String> again = post(deposit("TX-DROP", login, "33.00"), "Bearer " + KEY);

        assertThat(JSON.readTree(posted.body()).get("state").asText()).isEqualTo("CONFIRMED");
        assertThat(JSON.readTree(again.body()).get("state").asText()).isEqualTo("CONFIRMED");
        assertThat(sim.findDeals(login, "crm:TX-DROP", Instant.EPOCH)).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> balance(login).subtract(before)
                .compareTo(new BigDecimal("33.00")) >= 0);
    }

    @Test
    void anOperatorClosesAnUnknownOperationThatNoLookUpFound() throws Exception {
        long login = login();
        sim.faults().failNextBalanceRequests(1); // lost on the way: UNKNOWN, and no deal to find
        assertThat(JSON.readTree(post(deposit("TX-CLOSE", login, "8.00"), "Bearer " + KEY).body()).get("state")
                .asText()).isEqualTo("UNKNOWN");

        HttpResponse<String> noReason = close("TX-CLOSE", "{}");
        HttpResponse<String> otherField = close("TX-CLOSE", "{\"reason\":\"x\",\"state\":\"CONFIRMED\"}");
        HttpResponse<String> closed = close("TX-CLOSE", "{\"reason\":\"no deal in MT5 Manager, checked by ops\"}");
        HttpResponse<String> again = close("TX-CLOSE", "{\"reason\":\"twice\"}");
        HttpResponse<String> absent = close("TX-NOSUCH", "{\"reason\":\"x\"}");

        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(noReason.body()).get("field").asText()).isEqualTo("reason");
        assertThat(otherField.statusCode()).isEqualTo(400);
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
        JsonNode op = JSON.readTree(closed.body());
        assertThat(op.get("state").asText()).isEqualTo("REJECTED");
        assertThat(op.get("retcode").isNull()).isTrue();
        assertThat(op.get("reason").asText()).startsWith("closed by an operator: no deal in MT5 Manager");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(absent.statusCode()).isEqualTo(404);
        assertThat(sim.findDeals(login, "crm:TX-CLOSE", Instant.EPOCH)).isEmpty();
    }

    @Test
    void refusalsEndRejectedWithMt5sCode() throws Exception {
        long login = login();
        HttpResponse<String> noMoney = post("{\"crmTxnId\":\"TX-NOMONEY\",\"server\":\"sim\",\"login\":" + login
                + ",\"type\":\"WITHDRAWAL\",\"amount\":\"999999999.00\"}", "Bearer " + KEY);
        HttpResponse<String> noLogin = post(deposit("TX-NOLOGIN", 987654321L, "5.00"), "Bearer " + KEY);

        JsonNode nm = JSON.readTree(noMoney.body());
        assertThat(noMoney.statusCode()).isEqualTo(200);
        assertThat(nm.get("state").asText()).isEqualTo("REJECTED");
        assertThat(nm.get("retcode").asInt()).isEqualTo(10019);
        assertThat(nm.get("reason").asText()).containsIgnoringCase("not enough money");
        JsonNode nl = JSON.readTree(noLogin.body());
        assertThat(nl.get("state").asText()).isEqualTo("REJECTED");
        assertThat(nl.get("retcode").asInt()).isEqualTo(13);
        assertThat(nl.get("reason").asText()).contains("987654321");
    }

    @Test
    void invalidRequestsGet4xxNamingTheFieldAndNothingIsStoredOrSent() throws Exception {
        long login = login();
        record Case(String body, int status, String field) { }
        List<Case> cases = List.of(
                new Case("{not json", 400, null),
                new Case("{\"crmTxnId\":\"TX-V1\",\"server\":\"sim\",\"login\":" + login
                        + ",\"type\":\"DEPOSIT\",\"amount\":\"1\",\"extra\":1}", 400, "extra"),
                new Case("{\"crmTxnId\":\"TX-V2\",\"server\":\"sim\",\"login\":" + login
                        + ",\"type\":\"DEPOSIT\",\"amount\":\"-1\"}", 422, "amount"),
                new Case("{\"crmTxnId\":\"TX-V3\",\"server\":\"sim\",\"login\":" + login
                        + ",\"type\":\"DEPOSIT\",\"amount\":\"1.001\"}", 422, "amount"),
                new Case("{\"crmTxnId\":\"TX-V4\",\"server\":\"mars\",\"login\":" + login
                        + ",\"type\":\"DEPOSIT\",\"amount\":\"1\"}", 422, "server"),
                new Case("{\"crmTxnId\":\"TX V5\",\"server\":\"sim\",\"login\":" + login
                        + ",\"type\":\"DEPOSIT\",\"amount\":\"1\"}", 422, "crmTxnId"),
                new Case("{\"crmTxnId\":\"TX-V6\",\"server\":\"sim\",\"login\":0,\"type\":\"DEPOSIT\",\"amount\":\"1\"}",
                        422, "login"));
        for (Case c : cases) {
            HttpResponse<String> r = post(c.body(), "Bearer " + KEY);
            assertThat(r.statusCode()).as(c.body()).isEqualTo(c.status());
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/json"));
            JsonNode error = JSON.readTree(r.body());
            assertThat(error.get("error").asText()).as(c.body()).isNotBlank();
            if (c.field() != null) {
                assertThat(error.get("field").asText()).as(c.body()).isEqualTo(c.field());
            }
        }
        StoreQueries store = new StoreQueries(hub.context().getRegistry().lookupByNameAndType(
                HubConfiguration.DATA_SOURCE, javax.sql.DataSource.class));
        assertThat(store.count("SELECT COUNT(*) FROM hub_balance_operation WHERE crm_txn_id LIKE 'TX-V%'"
                + " OR crm_txn_id LIKE 'TX V%'")).isZero();
        for (int i = 1; i <= 6; i++) {
            assertThat(sim.findDeals(login, "crm:TX-V" + i, Instant.EPOCH)).isEmpty();
        }
    }

    private long login() throws Exception {
        return sim.accounts().stream().filter(e -> e.account().balance().signum() > 0).mapToLong(Mt5Event::login)
                .findFirst().orElseThrow();
    }

    private BigDecimal balance(long login) throws Exception {
        return sim.accounts().stream().filter(e -> e.login() == login).findFirst().orElseThrow().account().balance();
    }

    private static String deposit(String id, long login, String amount) {
        return "{\"crmTxnId\":\"" + id + "\",\"server\":\"sim\",\"login\":" + login + ",\"type\":\"DEPOSIT\","
                + "\"amount\":\"" + amount + "\"}";
    }

    private HttpRequest request(String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/balance-operations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private HttpResponse<String> post(String body, String authorization) throws Exception {
        return HTTP.send(request(body, authorization), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> close(String id, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/balance-operations/" + id + "/close"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/balance-operations/" + id))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
    }
}

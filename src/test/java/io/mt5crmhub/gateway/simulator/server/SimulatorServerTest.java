package io.mt5crmhub.gateway.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.gateway.webapi.WebApiAuth;

/** The simulator server speaks the Web API as documented: handshake, 403 without a session, envelopes, retcodes. */
class SimulatorServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private SimulatorServer server;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void commandsNeedAnAuthorisedSession() throws Exception {
        server = SimulatorServer.start("--http", "--port", "0", "--data-dir", dataDir.toString(), "--rate", "5");

        assertThat(status("/api/test/access")).isEqualTo(403);
        login("Simulator-1");
        assertThat(status("/api/test/access")).isEqualTo(200);
        assertThat(get("/api/test/access").get("retcode").asText()).isEqualTo("0 Done");
    }

    @Test
    void aWrongAnswerIsRefusedWith403And3006() throws Exception {
        server = SimulatorServer.start("--http", "--port", "0", "--data-dir", dataDir.toString(), "--rate", "1");

        HttpResponse<String> answer = login("not-the-password");

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(answer.body()).get("retcode").asText()).isEqualTo("3006 Invalid account password");
        assertThat(status("/api/test/access")).isEqualTo(403);
    }

    @Test
    void answersUseTheEnvelopeAndNumbersAsStrings() throws Exception {
        server = SimulatorServer.start("--http", "--port", "0", "--data-dir", dataDir.toString(), "--rate", "50",
                "--start-time", "2026-01-05T00:00:00Z");
        login("Simulator-1");
        long from = java.time.Instant.parse("2026-01-04T00:00:00Z").getEpochSecond();

        JsonNode deals = get("/api/deal/get_batch?group=*&from=" + from + "&to=" + (from + 3 * 86400));
        JsonNode users = get("/api/user/get_batch?group=real*");
        JsonNode bothSelectors = get("/api/deal/get_batch?group=*&login=1&from=0&to=1");
        JsonNode noWindow = get("/api/deal/get_batch?group=*");
        JsonNode unknownLogin = get("/api/user/get?login=1");
        JsonNode badType = get("/api/trade/balance?login=50001&type=0&balance=10&comment=x");

        assertThat(deals.get("retcode").asText()).isEqualTo("0 Done");
        JsonNode deal = deals.get("answer").get(0);
        assertThat(deal.get("Deal").isTextual()).isTrue();
        assertThat(deal.get("Profit").isTextual()).isTrue();
        assertThat(deal.get("TimeMsc").asLong() / 1000).isEqualTo(deal.get("Time").asLong());
        JsonNode ticket = get("/api/deal/get_batch?ticket=" + deal.get("Deal").asText()).get("answer");
        assertThat(ticket).hasSize(1);
        assertThat(users.get("answer")).isNotEmpty().allSatisfy(u -> assertThat(u.get("Group").asText()).startsWith("real"));
        assertThat(bothSelectors.get("retcode").asText()).isEqualTo("3 Invalid parameters");
        assertThat(noWindow.get("retcode").asText()).isEqualTo("3 Invalid parameters");
        assertThat(unknownLogin.get("retcode").asText()).isEqualTo("13 Not found");
        assertThat(badType.get("retcode").asText()).isEqualTo("3 Invalid parameters");
    }

    @Test
    void floodControlAnswers12() throws Exception {
        server = SimulatorServer.start("--http", "--port", "0", "--data-dir", dataDir.toString(), "--rate", "1",
                "--flood-limit", "3");
        login("Simulator-1");

        // the limit is per second of the clock: 20 requests in a row put more than 3 into one second, wherever the
        // second boundaries fall (unless each took over 300 ms)
        List<String> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(get("/api/test/access").get("retcode").asText());
        }
        assertThat(answers).contains("12 Too frequent requests").contains("0 Done");
    }

    @Test
    void theCertificateIsKeptInTheDataDirectoryAcrossRestarts() throws Exception {
        Path pem = dataDir.resolve("sim.pem");
        server = SimulatorServer.start("--port", "0", "--data-dir", dataDir.toString(), "--rate", "1",
                "--certificate-file", pem.toString());
        String first = server.fingerprint().orElseThrow();
        server.close();
        server = SimulatorServer.start("--port", "0", "--data-dir", dataDir.toString(), "--rate", "1");

        assertThat(server.fingerprint()).hasValue(first);
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> SimulatorServer.start("--rate", "fast")).hasMessageContaining("--rate 'fast'");
        assertThatThrownBy(() -> SimulatorServer.start("--colour", "red")).hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> SimulatorServer.start("--session-ttl", "soon"))
                .hasMessageContaining("--session-ttl 'soon' is not a duration");
    }

    private HttpResponse<String> login(String password) throws Exception {
        JsonNode start = get("/api/auth/start?version=3470&agent=test&login=1000&type=manager");
        String answer = WebApiAuth.answer(WebApiAuth.passwordHash(password), start.get("srv_rand").asText());
        String cliRand = WebApiAuth.randomHex();
        HttpResponse<String> response = send("/api/auth/answer?srv_rand_answer=" + answer + "&cli_rand=" + cliRand);
        if (response.statusCode() == 200) {
            assertThat(WebApiAuth.verify(WebApiAuth.passwordHash(password), cliRand,
                    JSON.readTree(response.body()).get("cli_rand_answer").asText())).isTrue();
        }
        return response;
    }

    private JsonNode get(String pathAndQuery) throws Exception {
        return JSON.readTree(send(pathAndQuery).body());
    }

    private int status(String pathAndQuery) throws Exception {
        return send(pathAndQuery).statusCode();
    }

    private HttpResponse<String> send(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

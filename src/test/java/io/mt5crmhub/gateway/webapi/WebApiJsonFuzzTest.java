package io.mt5crmhub.gateway.webapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.testsupport.Fuzz;
import io.mt5crmhub.testsupport.JsonMutator.Mutant;
import io.mt5crmhub.testsupport.JsonMutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile MT5 Web API answers, mutated from the documented shapes, through the parser. An answer it cannot use must
 * be a {@link WebApiException} that names the problem (an unknown MT5 code its own kind, so the gateway can skip and
 * report that one record), never an unchecked exception and never a hang; what it does return must be what the
 * answer said: no ticket, login or code cut to fit, no money taken through a double.
 */
class WebApiJsonFuzzTest {

    /** 2025-11-24T16:00:12Z as server-local seconds. */
    private static final long LOCAL = Instant.parse("2025-11-24T16:00:12Z").getEpochSecond();
    private static final ServerClock GMT_PLUS_2 = new ServerClock(120);
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final ObjectMapper EXACT = new ObjectMapper().enable(
            com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Answers as documented in reference/mt5-api.md §2 (see WebApiDocumentedAnswersTest, WebApiJsonTest). */
    static final String DEALS = "{\"retcode\":\"0 Done\",\"answer\":["
            + WebApiDocumentedAnswersTest.DOCUMENTED_DEAL_RECORDS + ","
            + "{\"Deal\":11918650,\"Login\":50012,\"Order\":5000100,\"Action\":1,\"Entry\":1,\"Reason\":4,\"Time\":" + LOCAL
            + ",\"Symbol\":\"EURUSD\",\"Price\":1.08512,\"Volume\":15000,\"Profit\":-12.34,\"Storage\":-0.56,"
            + "\"Commission\":-1.05,\"Fee\":0,\"PositionID\":5000090,\"Comment\":\"[tp 1.08512]\"}]}";
    static final String USERS = "{\"retcode\":\"0 Done\",\"answer\":[{\"Login\":\"50012\",\"Group\":\"real\\\\usd\","
            + "\"Name\":\"Jane Doe\",\"Email\":\"jane@example.com\",\"Leverage\":\"100\",\"Agent\":\"0\",\"Balance\":\"100.00\","
            + "\"Credit\":\"0.00\",\"Registration\":\"" + LOCAL + "\"},{\"Login\":\"50013\",\"Group\":\"demo\\\\eur\","
            + "\"FirstName\":\"John\",\"LastName\":\"Roe\",\"EMail\":\"john@example.com\",\"Leverage\":\"500\","
            + "\"Balance\":\"0\"}]}";
    static final String POSITIONS = "{\"retcode\":\"0 Done\",\"answer\":[{\"Position\":\"5000123\",\"Login\":\"50012\","
            + "\"Symbol\":\"EURUSD\",\"Action\":\"1\",\"TimeCreate\":\"1795960800\",\"TimeCreateMsc\":\"1795960800000\","
            + "\"TimeUpdate\":\"1795960860\",\"TimeUpdateMsc\":\"1795960860007\",\"PriceOpen\":\"1.08500\","
            + "\"PriceCurrent\":\"1.08400\",\"PriceSL\":\"0.00000\",\"PriceTP\":\"1.07000\",\"Volume\":\"5000\","
            + "\"Profit\":\"50.00\",\"Storage\":\"-1.20\",\"Comment\":\"\"}]}";
    static final String BALANCE = "{\"retcode\":\"0 Done\",\"answer\":{\"Ticket\":\"136623\"}}";
    static final String TOTAL = "{\"retcode\":\"0 Done\",\"answer\":{\"Total\":\"7\"}}";
    static final String TIME = "{\"retcode\":\"0 Done\",\"answer\":{\"Time\":\"1764000000\",\"TimeMsc\":\"1764000000123\"}}";
    static final String REFUSED = "{\"retcode\":\"10019 Not enough money\"}";
    private static final List<String> ANSWERS = List.of(DEALS, USERS, POSITIONS, BALANCE, TOTAL, TIME, REFUSED);

    @Test
    void hostileAnswersAreProtocolErrorsOrReadExactlyAsSent() {
        long seed = Fuzz.seed("Web API answers");
        JsonMutator mutator = new JsonMutator(new Random(seed), 0.002);
        int cases = Fuzz.cases(6000);
        int[] outcomes = new int[3];
        long started = System.nanoTime();

        for (int i = 0; i < cases; i++) {
            String documented = mutator.pick(ANSWERS);
            Mutant mutant = mutator.mutate(documented);
            Fuzz.check(seed, i, mutant, () -> outcomes[Fuzz.within(Duration.ofSeconds(10), () -> parse(documented,
                    mutant.text()))]++);
        }
        System.out.printf("fuzz Web API answers: %d cases, %d read, %d refused as protocol errors, %d records with"
                + " unknown codes, in %d ms%n", cases, outcomes[0], outcomes[1], outcomes[2],
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** A deal record of the documented shape with one field's JSON value replaced. */
    private static JsonNode dealWith(String field, String json) throws Exception {
        String record = "{\"Deal\":\"11918642\",\"Login\":\"50012\",\"Order\":\"0\",\"Action\":\"2\",\"Entry\":\"0\","
                + "\"Reason\":\"2\",\"Time\":\"" + LOCAL + "\",\"Symbol\":\"\",\"Price\":\"0\",\"Volume\":\"0\","
                + "\"Profit\":\"100.00\",\"Storage\":\"0.00\",\"Commission\":\"0.00\",\"Fee\":\"0.00\",\"PositionID\":\"0\","
                + "\"Comment\":\"crm:TX-9\"}";
        ObjectNode node = (ObjectNode) WebApiJson.MAPPER.readTree(record);
        node.set(field, WebApiJson.MAPPER.readTree(json));
        return node;
    }

    static Stream<Arguments> nastyDealFields() {
        return Stream.of(
                Arguments.of("Deal", "18446744073709551617", "Deal=18446744073709551617 is out of range"),
                Arguments.of("Deal", "\"18446744073709551617\"", "is not a whole number"),
                Arguments.of("Deal", "\"-5\"", "Deal=-5 is not a positive"),
                Arguments.of("Deal", "1.5", "Deal='1.5' is not a whole number"),
                Arguments.of("Login", "\"\uff15\uff10\uff10\uff11\uff12\"", "Login='\uff15"),
                Arguments.of("Login", "0", "Login=0 is not a positive"),
                Arguments.of("Profit", "\"\u0661\u0662\u0663\"", "Profit='\u0661\u0662\u0663' is not a number"),
                Arguments.of("Profit", "\"NaN\"", "Profit='NaN' is not a number"),
                Arguments.of("Profit", "\"1E+999999999\"", "is out of range"),
                Arguments.of("Volume", "\"1E+999999999\"", "Volume='1E+999999999' is out of range"),
                Arguments.of("Volume", "1E+999999999", "is out of range"),
                Arguments.of("Time", "\"9223372036854775807\"", "Time=9223372036854775807 is out of range"),
                Arguments.of("Time", "\"-1\"", "Time=-1 is out of range"),
                Arguments.of("Comment", "{\"a\":1}", "Comment is not text"),
                Arguments.of("Symbol", "[\"EURUSD\"]", "Symbol is not text"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("nastyDealFields")
    void aDealFieldOutOfRangeOrOfTheWrongKindIsRefusedNamingItNotBent(String field, String json, String message)
            throws Exception {
        JsonNode record = dealWith(field, json);

        assertThatThrownBy(() -> Fuzz.within(Duration.ofSeconds(10),
                        () -> WebApiJson.deal(record, ServerClock.UTC)))
                .isInstanceOf(WebApiException.class).isNotInstanceOf(WebApiJson.UnknownCodeException.class)
                .hasMessageStartingWith(field.equals("Deal") ? "Deal" : "deal 11918642: ").hasMessageContaining(message);
    }

    @Test
    void codesOutsideTheEnumerationsAreUnknownNotCutToFit() throws Exception {
        // (int) 4294967298 is 2, BALANCE: a code past int must not become a known one
        for (String[] c : new String[][] {{"Action", "\"4294967298\""}, {"Action", "99"}, {"Entry", "\"7\""},
                {"Reason", "-1"}}) {
            assertThatThrownBy(() -> WebApiJson.deal(dealWith(c[0], c[1]), ServerClock.UTC))
                    .isInstanceOfSatisfying(WebApiJson.UnknownCodeException.class, e -> {
                        assertThat(e.field()).isEqualTo(c[0]);
                        assertThat(e.ticket()).isEqualTo(11918642);
                        assertThat(e.value()).isEqualTo(c[1].replace("\"", ""));
                    });
        }
    }

    @Test
    void jsonNumbersAreReadExactlyNotThroughADouble() throws Exception {
        JsonNode record = WebApiJson.records(WebApiJson.envelope("{\"retcode\":\"0 Done\",\"answer\":[{\"Deal\":1,"
                + "\"Login\":2,\"Action\":2,\"Time\":" + LOCAL + ",\"Profit\":12345678901234567.89}]}").answer()).get(0);

        assertThat(WebApiJson.deal(record, ServerClock.UTC).deal().profit()).isEqualTo(new BigDecimal("12345678901234567.89"));
    }

    @Test
    void envelopesThatWouldBeMisreadAreProtocolErrors() {
        for (String body : List.of("{\"retcode\":\"\uff10 Done\"}", "{\"retcode\":4294967296}",
                "{\"retcode\":\"0 Done\",\"answer\":1E+2147483648}", "{\"retcode\":\"0 Done\",\"answer\":\"no deals\"}")) {
            assertThatThrownBy(() -> WebApiJson.records(WebApiJson.envelope(body).answer()))
                    .as(body).isInstanceOf(WebApiException.class).hasMessageNotContaining("Exception");
        }
        assertThatThrownBy(() -> WebApiJson.balanceTicket(WebApiJson.envelope(
                "{\"retcode\":\"0 Done\",\"answer\":{\"Ticket\":\"0\"}}").answer())).hasMessageContaining("Ticket=0");
    }

    @Test
    void aServerTimeOutOfRangeIsIgnoredNotOverflowed() throws Exception {
        assertThat(WebApiJson.serverTimeMillis(WebApiJson.MAPPER.readTree("{\"Time\":\"9223372036854775\"}"))).isNull();
        assertThat(WebApiJson.serverTimeMillis(WebApiJson.MAPPER.readTree("{\"TimeMsc\":\"-5\"}"))).isNull();
        assertThat(WebApiJson.serverTimeMillis(WebApiJson.MAPPER.readTree("\"1764000000\""))).isEqualTo(1_764_000_000_000L);
    }

    /**
     * Reads the answer as the gateway would for its kind; 0 read, 1 refused, 2 a record with an unknown code. What
     * was read is compared with the answer as an exact reader sees it (numbers as written, never as doubles).
     */
    private static int parse(String documented, String text) throws Exception {
        JsonNode exact = exactTree(text);
        try {
            WebApiJson.Envelope envelope = WebApiJson.envelope(text);
            JsonNode exactAnswer = exact == null ? null : WebApiValues.field(exact, "answer");
            if (documented.equals(BALANCE)) {
                assertWhole(field(exactAnswer, "Ticket"), WebApiJson.balanceTicket(envelope.answer()));
                return 0;
            }
            if (documented.equals(TOTAL)) {
                assertWhole(field(exactAnswer, "Total"), WebApiJson.total(envelope.answer()));
                return 0;
            }
            if (documented.equals(TIME)) {
                Long millis = WebApiJson.serverTimeMillis(envelope.answer());
                assertThat(millis == null || (millis >= 0 && millis < 253_402_300_800_000L)).as("server time " + millis)
                        .isTrue();
                return 0;
            }
            List<JsonNode> records = WebApiJson.records(envelope.answer());
            List<JsonNode> exactRecords = exactAnswer == null ? null : asList(exactAnswer);
            int outcome = 0;
            for (int i = 0; i < records.size(); i++) {
                JsonNode exactRecord = exactRecords == null ? null : exactRecords.get(i);
                try {
                    read(documented, records.get(i), exactRecord);
                } catch (WebApiJson.UnknownCodeException e) {
                    assertUnknownCode(exactRecord, e);
                    outcome = 2;
                }
            }
            return outcome;
        } catch (WebApiJson.UnknownCodeException e) {
            throw new AssertionError("an unknown code must stay with its record: " + e.getMessage(), e);
        } catch (WebApiException e) {
            assertThat(e.getMessage()).as("the reason").isNotBlank().hasSizeLessThan(2_000);
            assertThat(e.kind()).isEqualTo(WebApiException.Kind.PROTOCOL);
            return 1;
        }
    }

    private static void read(String documented, JsonNode record, JsonNode exact) throws WebApiException {
        if (documented.equals(DEALS)) {
            WebApiJson.DealRecord deal = WebApiJson.deal(record, GMT_PLUS_2);
            assertWhole(field(exact, "Deal"), deal.deal().ticket());
            assertWhole(field(exact, "Login"), deal.login());
            assertWhole(field(exact, "Action"), deal.deal().action().code());
            assertWhole(field(exact, "Entry"), deal.deal().entry().code());
            assertThat(deal.deal().ticket()).as("ticket").isPositive();
            assertThat(deal.login()).as("login").isPositive();
            assertDecimal(field(exact, "Profit"), deal.deal().profit());
            assertDecimal(field(exact, "Commission"), deal.deal().commission());
            // MT5 times run from 1970 to 9999 on the server's clock, which is up to a day off UTC
            assertThat(deal.time()).isBetween(Instant.parse("1969-12-31T00:00:00Z"),
                    Instant.parse("+10000-01-01T23:59:59Z"));
        } else if (documented.equals(USERS)) {
            WebApiJson.UserRecord user = WebApiJson.user(record, GMT_PLUS_2, Instant.now());
            assertWhole(field(exact, "Login"), user.login());
            assertThat(user.login()).as("login").isPositive();
            assertDecimal(field(exact, "Balance"), user.account().balance());
            assertWhole(field(exact, "Leverage"), user.account().leverage());
        } else if (documented.equals(POSITIONS)) {
            WebApiJson.PositionRecord position = WebApiJson.position(record, GMT_PLUS_2);
            assertWhole(field(exact, "Position"), position.position().ticket());
            assertWhole(field(exact, "Login"), position.login());
            assertThat(position.position().ticket()).as("ticket").isPositive();
            assertDecimal(field(exact, "Profit"), position.position().profit());
        }
    }

    private static JsonNode exactTree(String text) {
        try {
            return EXACT.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static List<JsonNode> asList(JsonNode answer) {
        List<JsonNode> list = new ArrayList<>();
        if (answer.isArray()) {
            answer.forEach(list::add);
        } else if (answer.isObject()) {
            list.add(answer);
        }
        return list;
    }

    private static JsonNode field(JsonNode node, String name) {
        return node == null ? null : WebApiValues.field(node, name);
    }

    /** An unknown code is an integer the hub's enumerations do not hold, in one of the coded fields. */
    private static void assertUnknownCode(JsonNode record, WebApiJson.UnknownCodeException e) {
        assertThat(e.field()).isIn("Action", "Entry", "Reason");
        if (record == null) {
            return;
        }
        JsonNode node = WebApiValues.field(record, e.field());
        BigInteger code = wholeNumber(node);
        assertThat(code).as("the unknown " + e.field() + " as sent: " + node).isNotNull();
        assertThat(e.value()).isEqualTo(code.toString());
        Set<Integer> known = switch (e.field()) {
            case "Entry" -> Stream.of(DealEntry.values()).map(DealEntry::code).collect(Collectors.toSet());
            case "Reason" -> Stream.of(DealReason.values()).map(DealReason::code).collect(Collectors.toSet());
            default -> record.has("Position") || record.has("position") ? Set.of(0, 1)
                    : Stream.of(DealAction.values()).map(DealAction::code).collect(Collectors.toSet());
        };
        assertThat(known).doesNotContain(code.intValue() == code.longValue() ? code.intValue() : -1);
    }

    /** When the answer wrote a whole number (as a JSON number or a string of ASCII digits), it was read as written. */
    private static void assertWhole(JsonNode node, long value) {
        BigInteger written = wholeNumber(node);
        if (written != null) {
            assertThat(BigInteger.valueOf(value)).as("read " + value + " from " + node).isEqualTo(written);
        }
    }

    private static BigInteger wholeNumber(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        return node.isTextual() && WHOLE.matcher(node.textValue().trim()).matches()
                ? new BigInteger(node.textValue().trim()) : null;
    }

    /** When the answer wrote a plain decimal, the value read is exactly it (not a double's view of it). */
    private static void assertDecimal(JsonNode node, BigDecimal value) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        String raw = node.isNumber() ? node.decimalValue().toString() : node.asText().trim();
        if (DECIMAL.matcher(raw).matches()) {
            assertThat(value).as("read " + value + " from " + node).isEqualByComparingTo(new BigDecimal(raw));
        }
    }
}

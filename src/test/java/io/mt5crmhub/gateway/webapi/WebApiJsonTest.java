package io.mt5crmhub.gateway.webapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.PositionAction;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.webapi.WebApiJson.DealRecord;

/**
 * Parsing pinned to answer shapes written from the MT5 Web API documentation (reference/mt5-api.md §2.3-2.4):
 * the {@code {"retcode":"<n> <text>","answer":…}} envelope, numbers as JSON strings, IMTDeal / IMTPosition /
 * IMTUser field names in PascalCase, inconsistent casing, server-local times.
 */
class WebApiJsonTest {

    /** 2025-11-24T16:00:12.345 on a server at GMT+2, written as MT5 writes it (local time as if it were UTC). */
    private static final long LOCAL_SECONDS = Instant.parse("2025-11-24T16:00:12Z").getEpochSecond();
    private static final ServerClock GMT_PLUS_2 = new ServerClock(120);

    @Test
    void retcodesAreTheNumberBeforeTheText() throws Exception {
        assertThat(WebApiJson.envelope("{\"retcode\":\"0 Done\"}").retcode())
                .isEqualTo(new WebApiJson.Retcode(0, "Done")).matches(WebApiJson.Retcode::isOk);
        assertThat(WebApiJson.envelope("{\"retcode\":\"3006 Invalid account password\"}").retcode())
                .isEqualTo(new WebApiJson.Retcode(3006, "Invalid account password"))
                .matches(r -> !r.isOk());
        assertThat(WebApiJson.envelope("{\"retcode\":\"10019 Not enough money\"}").retcode().code())
                .isEqualTo(Mt5Retcode.REQUEST_NO_MONEY);
        assertThat(WebApiJson.envelope("{\"retcode\":\"12 Too frequent requests\"}").retcode().code())
                .isEqualTo(Mt5Retcode.ERR_FREQUENT);
        assertThat(WebApiJson.envelope("{\"retcode\":13}").retcode().code()).isEqualTo(13);
        assertThat(WebApiJson.envelope("{\"Retcode\":\"0 Done\"}").retcode().isOk()).as("casing").isTrue();
    }

    @Test
    void malformedEnvelopesAreProtocolErrors() {
        assertThatThrownBy(() -> WebApiJson.envelope("<html>502 Bad Gateway</html>"))
                .isInstanceOf(WebApiException.class).hasMessageContaining("not JSON")
                .extracting(e -> ((WebApiException) e).kind()).isEqualTo(WebApiException.Kind.PROTOCOL);
        assertThatThrownBy(() -> WebApiJson.envelope("{\"answer\":[]}")).hasMessageContaining("no retcode");
        assertThatThrownBy(() -> WebApiJson.envelope("{\"retcode\":\"Done\"}"))
                .hasMessageContaining("does not start with a number");
    }

    @Test
    void aBalanceDealWithNumbersAsStrings() throws Exception {
        String body = "{\"retcode\":\"0 Done\",\"answer\":[{\"Deal\":\"11918642\",\"ExternalID\":\"\",\"Login\":\"50012\","
                + "\"Dealer\":\"1000\",\"Order\":\"0\",\"Action\":\"2\",\"Entry\":\"0\",\"Reason\":\"2\",\"Digits\":\"0\","
                + "\"DigitsCurrency\":\"2\",\"ContractSize\":\"0\",\"Time\":\"" + LOCAL_SECONDS + "\",\"TimeMsc\":\""
                + (LOCAL_SECONDS * 1000 + 345) + "\",\"Symbol\":\"\",\"Price\":\"0\",\"Volume\":\"0\",\"VolumeExt\":\"0\","
                + "\"Profit\":\"100.00\",\"Storage\":\"0.00\",\"Commission\":\"0.00\",\"Fee\":\"0.00\",\"RateProfit\":\"1\","
                + "\"RateMargin\":\"0\",\"ExpertID\":\"0\",\"PositionID\":\"0\",\"Comment\":\"crm:TX-9\",\"ApiData\":[]}]}";

        List<JsonNode> records = WebApiJson.records(WebApiJson.envelope(body).answer());
        DealRecord deal = WebApiJson.deal(records.get(0), GMT_PLUS_2);

        assertThat(records).hasSize(1);
        assertThat(deal.login()).isEqualTo(50012);
        assertThat(deal.time()).isEqualTo(Instant.parse("2025-11-24T14:00:12.345Z"));
        assertThat(deal.deal().ticket()).isEqualTo(11918642);
        assertThat(deal.deal().action()).isEqualTo(DealAction.BALANCE);
        assertThat(deal.deal().reason()).isEqualTo(DealReason.DEALER);
        assertThat(deal.deal().profit()).isEqualByComparingTo("100.00").hasScaleOf(2);
        assertThat(deal.deal().comment()).isEqualTo("crm:TX-9");
        assertThat(deal.deal().volume()).isEqualByComparingTo("0");
    }

    @Test
    void aTradeDealTakesVolumeInMt5UnitsAndTimeInSecondsWhenMscIsAbsent() throws Exception {
        JsonNode node = WebApiJson.MAPPER.readTree("{\"Deal\":\"11918650\",\"Login\":\"50012\",\"Order\":\"5000100\","
                + "\"Action\":\"1\",\"Entry\":\"1\",\"Reason\":\"4\",\"Time\":\"" + LOCAL_SECONDS + "\",\"Symbol\":\"EURUSD\","
                + "\"Price\":\"1.08512\",\"Volume\":\"15000\",\"Profit\":\"-12.34\",\"Storage\":\"-0.56\","
                + "\"Commission\":\"-1.05\",\"Fee\":\"0\",\"PositionID\":\"5000090\",\"Comment\":\"[tp 1.08512]\"}");

        DealRecord deal = WebApiJson.deal(node, GMT_PLUS_2);

        assertThat(deal.time()).isEqualTo(Instant.parse("2025-11-24T14:00:12Z"));
        assertThat(deal.deal().action()).isEqualTo(DealAction.SELL);
        assertThat(deal.deal().entry()).isEqualTo(DealEntry.OUT);
        assertThat(deal.deal().reason()).isEqualTo(DealReason.TP);
        assertThat(deal.deal().volume()).isEqualByComparingTo("1.5");
        assertThat(deal.deal().price()).isEqualByComparingTo("1.08512");
        assertThat(deal.deal().swap()).isEqualByComparingTo("-0.56");
        assertThat(deal.deal().money()).isEqualByComparingTo("-13.95");
        assertThat(deal.deal().positionId()).isEqualTo(5000090);
    }

    @Test
    void volumeExtWinsOverVolumeAndRealJsonNumbersAreReadExactly() throws Exception {
        JsonNode node = WebApiJson.MAPPER.readTree("{\"Deal\":1,\"Login\":2,\"Action\":0,\"Time\":0,"
                + "\"Volume\":\"1\",\"VolumeExt\":\"1234567\",\"Profit\":0.1,\"Price\":1.1}");

        DealRecord deal = WebApiJson.deal(node, ServerClock.UTC);

        assertThat(deal.deal().volume()).isEqualByComparingTo("0.01234567");
        assertThat(deal.deal().profit()).isEqualTo(new java.math.BigDecimal("0.1"));
    }

    @Test
    void badRecordsNameTheFieldOrTheDeal() throws Exception {
        assertThatThrownBy(() -> WebApiJson.deal(WebApiJson.MAPPER.readTree(
                "{\"Deal\":\"7\",\"Login\":\"2\",\"Action\":\"0\",\"Time\":\"0\",\"Profit\":\"12,50\"}"), ServerClock.UTC))
                .isInstanceOf(WebApiException.class).hasMessageContaining("Profit='12,50' is not a number");
        assertThatThrownBy(() -> WebApiJson.deal(WebApiJson.MAPPER.readTree(
                "{\"Deal\":\"7\",\"Login\":\"2\",\"Action\":\"99\",\"Time\":\"0\"}"), ServerClock.UTC))
                .hasMessageContaining("deal 7").hasMessageContaining("99");
        assertThatThrownBy(() -> WebApiJson.deal(WebApiJson.MAPPER.readTree(
                "{\"Login\":\"2\",\"Action\":\"0\",\"Time\":\"0\"}"), ServerClock.UTC))
                .hasMessageContaining("has no Deal");
    }

    @Test
    void aPositionWithItsCreateAndUpdateTimes() throws Exception {
        JsonNode node = WebApiJson.MAPPER.readTree("{\"Position\":\"5000123\",\"Login\":\"50012\",\"Symbol\":\"EURUSD\","
                + "\"Action\":\"1\",\"TimeCreate\":\"" + LOCAL_SECONDS + "\",\"TimeCreateMsc\":\"" + LOCAL_SECONDS * 1000
                + "\",\"TimeUpdate\":\"" + (LOCAL_SECONDS + 60) + "\",\"TimeUpdateMsc\":\"" + ((LOCAL_SECONDS + 60) * 1000 + 7)
                + "\",\"PriceOpen\":\"1.08500\",\"PriceCurrent\":\"1.08400\",\"PriceSL\":\"0.00000\",\"PriceTP\":\"1.07000\","
                + "\"Volume\":\"5000\",\"VolumeExt\":\"50000000\",\"Profit\":\"50.00\",\"Storage\":\"-1.20\",\"Comment\":\"\"}");

        WebApiJson.PositionRecord record = WebApiJson.position(node, GMT_PLUS_2);

        assertThat(record.login()).isEqualTo(50012);
        assertThat(record.position().ticket()).isEqualTo(5000123);
        assertThat(record.position().action()).isEqualTo(PositionAction.SELL);
        assertThat(record.position().volume()).isEqualByComparingTo("0.5");
        assertThat(record.position().priceTp()).isEqualByComparingTo("1.07");
        assertThat(record.position().openedAt()).isEqualTo(Instant.parse("2025-11-24T14:00:12Z"));
        assertThat(record.position().updatedAt()).isEqualTo(Instant.parse("2025-11-24T14:01:12.007Z"));
    }

    @Test
    void usersWithEitherCasingOfEmailAndNameParts() throws Exception {
        Instant seen = Instant.parse("2025-11-24T15:00:00Z");
        JsonNode a = WebApiJson.MAPPER.readTree("{\"Login\":\"50012\",\"Group\":\"real\\\\usd\",\"Name\":\"Jane Doe\","
                + "\"Email\":\"jane@example.com\",\"Leverage\":\"100\",\"Agent\":\"50001\",\"Balance\":\"1500.50\","
                + "\"Credit\":\"0.00\",\"Registration\":\"" + LOCAL_SECONDS + "\",\"LastAccess\":\"0\"}");
        JsonNode b = WebApiJson.MAPPER.readTree("{\"Login\":\"50013\",\"Group\":\"demo\\\\eur\",\"FirstName\":\"John\","
                + "\"LastName\":\"Roe\",\"EMail\":\"john@example.com\",\"Leverage\":\"500\",\"Balance\":\"0\"}");

        WebApiJson.UserRecord jane = WebApiJson.user(a, GMT_PLUS_2, seen);
        WebApiJson.UserRecord john = WebApiJson.user(b, GMT_PLUS_2, seen);

        assertThat(jane.account().group()).isEqualTo("real\\usd");
        assertThat(jane.account().balance()).isEqualByComparingTo("1500.50");
        assertThat(jane.account().agent()).isEqualTo(50001);
        assertThat(jane.account().registeredAt()).isEqualTo(Instant.parse("2025-11-24T14:00:12Z"));
        assertThat(jane.account().updatedAt()).isEqualTo(seen);
        assertThat(john.account().name()).isEqualTo("John Roe");
        assertThat(john.account().email()).isEqualTo("john@example.com");
        assertThat(john.account().credit()).isEqualByComparingTo("0");
        assertThat(john.account().registeredAt()).isNull();
    }

    @Test
    void balanceAnswerGivesTheDealTicket() throws Exception {
        WebApiJson.Envelope envelope = WebApiJson.envelope("{\"retcode\":\"0 Done\",\"answer\":{\"Ticket\":\"136623\"}}");

        assertThat(WebApiJson.balanceTicket(envelope.answer())).isEqualTo(136623);
        assertThatThrownBy(() -> WebApiJson.balanceTicket(WebApiJson.envelope("{\"retcode\":\"0 Done\"}").answer()))
                .hasMessageContaining("no ticket");
    }

    @Test
    void totalIsReadWhicheverCaseTheServerUses() throws Exception {
        assertThat(WebApiJson.total(WebApiJson.envelope("{\"retcode\":\"0 Done\",\"answer\":{\"total\":\"250\"}}")
                .answer())).isEqualTo(250);
        assertThat(WebApiJson.total(WebApiJson.envelope("{\"retcode\":\"0 Done\",\"answer\":{\"Total\":\"7\"}}")
                .answer())).isEqualTo(7);
    }

    @Test
    void emptyOrSingleAnswersAreRecordLists() throws Exception {
        assertThat(WebApiJson.records(WebApiJson.envelope("{\"retcode\":\"0 Done\",\"answer\":[]}").answer())).isEmpty();
        assertThat(WebApiJson.records(WebApiJson.envelope("{\"retcode\":\"0 Done\"}").answer())).isEmpty();
        assertThat(WebApiJson.records(WebApiJson.envelope("{\"retcode\":\"0 Done\",\"answer\":{\"Login\":\"1\"}}")
                .answer())).hasSize(1);
    }

    @Test
    void serverTimeInTheShapesSeenInTheWild() throws Exception {
        assertThat(WebApiJson.serverTimeMillis(WebApiJson.MAPPER.readTree("{\"time\":\"1764000000\"}")))
                .isEqualTo(1_764_000_000_000L);
        assertThat(WebApiJson.serverTimeMillis(WebApiJson.MAPPER.readTree("{\"TimeMsc\":\"1764000000123\"}")))
                .isEqualTo(1_764_000_000_123L);
        assertThat(WebApiJson.serverTimeMillis(WebApiJson.MAPPER.readTree("\"1764000000\""))).isEqualTo(1_764_000_000_000L);
        assertThat(WebApiJson.serverTimeMillis(WebApiJson.MAPPER.readTree("\"2025.11.24 16:00\""))).isNull();
    }
}

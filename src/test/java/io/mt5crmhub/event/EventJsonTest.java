package io.mt5crmhub.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import io.mt5crmhub.testsupport.EventSamples;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void dealEventHasTheContractShape() throws Exception {
        Mt5Event event = EventSamples.deposit("live1", 123456, 50012, "100.00", "crm:TX-9").withClientId("C-1042");

        JsonNode json = EventJson.mapper().readTree(EventJson.write(event));

        assertThat(json.get("schema").asText()).isEqualTo("mt5hub.event/v1");
        assertThat(json.get("eventId").asText()).isEqualTo("live1:deal:123456:added");
        assertThat(json.get("type").asText()).isEqualTo("deal.added");
        assertThat(json.get("server").asText()).isEqualTo("live1");
        assertThat(json.get("login").asLong()).isEqualTo(50012);
        assertThat(json.get("clientId").asText()).isEqualTo("C-1042");
        assertThat(json.get("occurredAt").asText()).isEqualTo("2026-11-24T06:47:48.345Z");
        JsonNode deal = json.get("deal");
        assertThat(deal.get("ticket").asLong()).isEqualTo(123456);
        assertThat(deal.get("action").asText()).isEqualTo("BALANCE");
        assertThat(deal.get("entry").asText()).isEqualTo("IN");
        assertThat(deal.get("reason").asText()).isEqualTo("DEALER");
        assertThat(deal.get("profit").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(deal.get("comment").asText()).isEqualTo("crm:TX-9");
        assertThat(json.has("position")).isFalse();
        assertThat(json.has("account")).isFalse();
    }

    @Test
    void unmappedLoginKeepsAnExplicitNullClientId() throws Exception {
        JsonNode json = EventJson.mapper().readTree(EventJson.write(EventSamples.deposit("s", 1, 2, "1", "")));

        assertThat(json.has("clientId")).isTrue();
        assertThat(json.get("clientId").isNull()).isTrue();
    }

    @Test
    void moneyRoundTripsExactlyAsDecimal() {
        Mt5Event event = EventSamples.deposit("s", 7, 50001, "0.10", "");
        Mt5Event back = EventJson.read(EventJson.write(event));

        assertThat(back).isEqualTo(event);
        assertThat(back.deal().profit()).isEqualTo(new BigDecimal("0.10"));
    }

    @Test
    void everyEntityRoundTrips() {
        for (Mt5Event event : new Mt5Event[] {
                EventSamples.buy("s", 10, 50001, 500, "0.25"),
                EventSamples.position("s", EventType.POSITION_UPDATED, 500, 50001, "0.25", "-1.20",
                        EventSamples.T0.plusSeconds(5)),
                EventSamples.account("s", 50001, "1000.00", EventSamples.T0.plusSeconds(9)) }) {
            assertThat(EventJson.read(EventJson.write(event))).isEqualTo(event);
        }
    }

    @Test
    void unknownFieldsFromNewerProducersAreTolerated() {
        String json = EventJson.write(EventSamples.deposit("s", 7, 50001, "5", ""))
                .replace("\"schema\"", "\"futureField\":1,\"schema\"");

        assertThat(EventJson.read(json).deal().ticket()).isEqualTo(7);
    }

    @Test
    void badInputNamesTheProblem() throws Exception {
        String good = EventJson.write(EventSamples.deposit("s", 7, 50001, "5", ""));

        assertThatThrownBy(() -> EventJson.read("{not json"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not a valid event JSON");
        assertThatThrownBy(() -> EventJson.read(good.replace("\"login\":50001", "\"login\":\"abc\"")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("login");
        assertThatThrownBy(() -> EventJson.read(good.replace("\"login\":50001", "\"login\":-3")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("login must be a positive");
        assertThatThrownBy(() -> EventJson.read(good.replace("mt5hub.event/v1", "v0")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> EventJson.read(good.replace("\"deal.added\"", "\"deal.exploded\"")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("deal.exploded");
        assertThatThrownBy(() -> EventJson.read(good.replace("\"action\":\"BALANCE\"", "\"action\":\"GIFT\"")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("GIFT");
        var withoutDeal = (com.fasterxml.jackson.databind.node.ObjectNode) EventJson.mapper().readTree(good);
        withoutDeal.remove("deal");
        assertThatThrownBy(() -> EventJson.read(withoutDeal.toString()))
                .isInstanceOf(InvalidEventException.class).hasMessage("deal is missing");
        assertThatThrownBy(() -> EventJson.read(good.replace("s:deal:7:added", "other:deal:7:added")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("is not the id of this event's deal");
    }

    @Test
    void valuesThatWouldBeBentAreRefusedNotBent() {
        String good = EventJson.write(EventSamples.deposit("s", 7, 50001, "5", ""));
        String account = EventJson.write(EventSamples.account("s", 50001, "1000.00", EventSamples.T0));

        // an id naming another deal would make the hub drop that deal as a repeat
        assertThatThrownBy(() -> EventJson.read(good.replace("\"ticket\":7", "\"ticket\":8")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("eventId 's:deal:7:added' is not the id of this event's deal, which is 's:deal:8:added'");
        assertThatThrownBy(() -> EventJson.read(good.replace("\"ticket\":7", "\"ticket\":7.5")))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("deal.ticket: ");
        assertThatThrownBy(() -> EventJson.read(good.replace("\"login\":50001", "\"login\":\"\uff15\uff10\"")))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("login: ");
        assertThatThrownBy(() -> EventJson.read(account.replace("\"updatedAt\":\"", "\"updatedAt\":\"+12345")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("account.updatedAt")
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> EventJson.read(good.replace("\"deal.added\"", "{}")))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("type: ");
    }
}

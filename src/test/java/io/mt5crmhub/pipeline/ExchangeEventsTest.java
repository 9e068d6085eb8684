package io.mt5crmhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One event, a batch, or an event's JSON: read, written back in the same shape, and what was not delivered. */
class ExchangeEventsTest {

    private final CamelContext context = new DefaultCamelContext();
    private final Mt5Event first = EventSamples.deposit("sim", 1, 50001, "10.00", "");
    private final Mt5Event second = EventSamples.deposit("sim", 2, 50001, "20.00", "");

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private Exchange carrying(Object body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    @Test
    void oneEventABatchOrItsJsonAreTheExchangesEvents() throws Exception {
        assertThat(ExchangeEvents.of(carrying(first))).containsExactly(first);
        assertThat(ExchangeEvents.isBatch(carrying(first))).isFalse();
        assertThat(ExchangeEvents.of(carrying(List.of(first, second)))).containsExactly(first, second);
        assertThat(ExchangeEvents.isBatch(carrying(List.of(first, second)))).isTrue();
        assertThat(ExchangeEvents.of(carrying(EventJson.write(first)))).containsExactly(first);
    }

    @Test
    void onlyEventObjectsAreCarriedWithoutConversion() {
        assertThat(ExchangeEvents.carried(carrying(first))).hasValue(List.of(first));
        assertThat(ExchangeEvents.carried(carrying(List.of(first)))).hasValue(List.of(first));
        assertThat(ExchangeEvents.carried(carrying(EventJson.write(first)))).isEmpty();
        assertThat(ExchangeEvents.carried(carrying("not an event"))).isEmpty();
    }

    @Test
    void aBatchHoldingSomethingElseIsRefusedWithWhatItHolds() {
        assertThatThrownBy(() -> ExchangeEvents.of(carrying(List.of(first, "text"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
    }

    @Test
    void replacedEventsKeepTheBodysShape() {
        Exchange batch = carrying(List.of(first, second));
        ExchangeEvents.replace(batch, List.of(second));
        assertThat(batch.getMessage().getBody()).isEqualTo(List.of(second));

        Exchange single = carrying(first);
        ExchangeEvents.replace(single, List.of(second));
        assertThat(single.getMessage().getBody()).isEqualTo(second);
        assertThatThrownBy(() -> ExchangeEvents.replace(single, List.of(first, second)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theUndeliveredEventsAreNamedBesideAnUnchangedBody() throws Exception {
        Exchange exchange = carrying(List.of(first, second));
        assertThat(ExchangeEvents.undelivered(exchange)).isEmpty();

        ExchangeEvents.setUndelivered(exchange, List.of(second));

        assertThat(ExchangeEvents.undelivered(exchange)).hasValue(List.of(second));
        assertThat(exchange.getProperty(ExchangeEvents.UNDELIVERED)).isEqualTo(List.of(second));
        assertThat(ExchangeEvents.of(exchange)).containsExactly(first, second);
    }
}

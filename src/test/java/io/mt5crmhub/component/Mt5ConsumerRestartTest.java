package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.Mt5TestContext;
import io.mt5crmhub.testsupport.StubEventSource;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * A route started while the context runs (an operator restarting it) opens the MT5 connection itself: its consumer
 * is subscribed before the connect, so the events the gateway delivers at once reach it, even those delivered
 * before the connect returns. A server without history (a replay file) could not back-fill them.
 */
class Mt5ConsumerRestartTest {

    @Test
    void aRestartedRouteHearsEveryEventOfTheConnectItOpens() throws Exception {
        List<Mt5Event> live = List.of(EventSamples.deposit("x", 1_000_001, 50001, "1.00", "a"),
                EventSamples.deposit("x", 1_000_002, 50001, "2.00", "b"));
        StubEventSource mt5 = new StubEventSource("x").live(live.toArray(Mt5Event[]::new)).deliverWithinConnect();
        try (Mt5TestContext camel = new Mt5TestContext().source(mt5)
                .routes(rb -> rb.from("mt5:deals?server=x").routeId("deals").to("mock:deals"))
                .start()) {
            MockEndpoint deals = camel.mock("mock:deals");
            await().atMost(Duration.ofSeconds(30)).until(() -> deals.getReceivedCounter() == 2);

            camel.context().getRouteController().stopRoute("deals");
            camel.context().getRouteController().startRoute("deals");

            await().atMost(Duration.ofSeconds(30)).until(() -> deals.getReceivedCounter() == 4);
            assertThat(mt5.connects()).isEqualTo(2);
            assertThat(deals.getReceivedExchanges().stream().map(Exchange::getMessage)
                    .map(m -> m.getBody(Mt5Event.class).eventId()).toList())
                    .containsExactly(live.get(0).eventId(), live.get(1).eventId(), live.get(0).eventId(),
                            live.get(1).eventId());
        }
    }
}

package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.Mt5TestContext;
import io.mt5crmhub.testsupport.StubEventSource;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deal the live stream never delivers and that shows in MT5's history only after the connect's back-fill (booked
 * late, or made visible to the manager later) is found by the periodic gap sweep, with no reconnect.
 */
class Mt5FeedGapSweepTest {

    private static final Mt5Event FIRST = EventSamples.deposit("g1", 1000001, 50001, "10.00", "");
    private static final Mt5Event MISSED = EventSamples.deposit("g1", 1000002, 50001, "20.00", "");
    private static final Mt5Event THIRD = EventSamples.deposit("g1", 1000003, 50001, "30.00", "");

    /** Streams the first and third deal live; its history shows the second only once the test adds it. */
    private final StubEventSource gateway = new StubEventSource("g1").live(FIRST, THIRD).dealHistory(FIRST, THIRD);

    @AutoClose
    private Mt5TestContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new Mt5TestContext().source(gateway)
                .routes(rb -> rb.from("mt5:deals?server=g1&gapSweepInterval=1s").routeId("swept").to("mock:deals"))
                .start();
    }

    @Test
    void aDealTheLiveStreamMissedIsFoundByTheGapSweepWithoutAReconnect() {
        MockEndpoint deals = camel.mock("mock:deals");
        await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.historyReadsFrom().isEmpty());
        gateway.dealHistory(FIRST, MISSED, THIRD);

        await().atMost(Duration.ofSeconds(10)).until(() -> deals.getReceivedExchanges().stream()
                .anyMatch(e -> MISSED.equals(e.getMessage().getBody(Mt5Event.class))));

        assertThat(deals.getReceivedExchanges().stream().filter(e -> MISSED.equals(e.getMessage()
                .getBody(Mt5Event.class))).findFirst().orElseThrow().getMessage()
                .getHeader(Mt5Constants.BACKFILL, Boolean.class)).as("found by a back-fill").isTrue();
        assertThat(gateway.connects()).as("no reconnect").isEqualTo(1);
    }
}

package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.Mt5TestContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * An exchange that fails for good (its error handling gave up, as when even the dead letter cannot be written)
 * does not lose its deal: the feed reads it again from MT5 by a back-fill, with no reconnect in between.
 */
class Mt5FeedRedeliveryTest {

    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicReference<String> failing = new AtomicReference<>();
    private final AtomicInteger backfilledCopiesFailed = new AtomicInteger();

    @AutoClose
    private Mt5TestContext camel;

    /**
     * Fails the 30th live deal, and the first {@code backfilledCopiesToFail} copies of it that back-fills bring. No
     * overlap before the stored checkpoint: only a checkpoint held at that deal brings it again.
     */
    private void start(int backfilledCopiesToFail) throws Exception {
        camel = new Mt5TestContext().simulator("s1", "rate", "50", "seed", "7", "clients", "5")
                .routes(rb -> rb.from("mt5:deals?server=s1&backfillOverlap=0s").routeId("fails")
                        .process(exchange -> {
                            Mt5Event event = exchange.getMessage().getBody(Mt5Event.class);
                            // a live deal well after the first back-fill, so only a new back-fill can bring it again
                            boolean live = !exchange.getMessage().getHeader(Mt5Constants.BACKFILL, Boolean.class);
                            if (live && seen.incrementAndGet() == 30) {
                                failing.set(event.eventId());
                                throw new IllegalStateException("the sink is away");
                            }
                            if (!live && event.eventId().equals(failing.get())
                                    && backfilledCopiesFailed.incrementAndGet() <= backfilledCopiesToFail) {
                                throw new IllegalStateException("the sink is away again");
                            }
                        })
                        .to("mock:delivered"))
                .start();
    }

    @Test
    void aFailedDealIsReadAgainFromMt5AndDelivered() throws Exception {
        start(0);

        awaitDelivered();
        assertThat(camel.component().connections().get("s1").isConnected()).as("no reconnect was needed").isTrue();
    }

    /** The back-fill's own copy failing while the back-fill runs: the deal holds the checkpoint until one succeeds. */
    @Test
    void aDealWhoseBackfilledCopyFailsTooIsReadAgainByTheNextBackfill() throws Exception {
        start(1);

        awaitDelivered();
        assertThat(backfilledCopiesFailed).hasValueGreaterThan(1);
    }

    private void awaitDelivered() {
        MockEndpoint delivered = camel.mock("mock:delivered");
        await().atMost(Duration.ofSeconds(30)).until(() -> failing.get() != null && delivered
                .getReceivedExchanges().stream().anyMatch(e -> failing.get().equals(e.getMessage().getBody(
                        Mt5Event.class).eventId())));
    }
}

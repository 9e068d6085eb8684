package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.Mt5TestContext;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route whose error policy dead-letters an event completes its exchange without an exception; the consumer
 * still counts that event as dead-lettered, not delivered, once the dead-letter step has marked the exchange.
 */
class DeadLetteredOutcomeTest {

    private static final int DEALS = 6;

    @AutoClose
    private Mt5TestContext camel;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int ticket = 1; ticket <= DEALS; ticket++) {
            lines.add(EventSamples.json(EventSamples.deposit("r1", ticket, 50001, "10.00", "")));
        }
        Path replay = EventSamples.writeJsonl(dir.resolve("r1.jsonl"), lines);
        camel = new Mt5TestContext().replay("r1", replay)
                .routes(rb -> {
                    // what a handled error policy does: store the dead letter, mark the exchange, complete it
                    rb.onException(IllegalArgumentException.class).handled(true)
                            .process(exchange -> DeadLetteredEvents.add(exchange, 1));
                    rb.from("mt5:deals?server=r1").routeId("refuses-even-tickets")
                            .process(exchange -> {
                                Mt5Event deal = exchange.getMessage().getBody(Mt5Event.class);
                                if (deal.deal().ticket() % 2 == 0) {
                                    throw new IllegalArgumentException("the CRM refused it");
                                }
                            });
                })
                .start();
    }

    @Test
    void eventsTheErrorPolicyDeadLetteredAreNotCountedAsDelivered() {
        SinkOutcomes outcomes = outcomes("refuses-even-tickets");
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.delivered() + outcomes.deadLettered() >= DEALS);

        assertThat(outcomes.delivered()).isEqualTo(DEALS / 2);
        assertThat(outcomes.deadLettered()).isEqualTo(DEALS / 2);
        assertThat(outcomes.failed()).isZero();
    }

    private SinkOutcomes outcomes(String routeId) {
        Mt5Consumer consumer = (Mt5Consumer) camel.context().getRoute(routeId).getConsumer();
        return consumer.feeds().get(0).outcomes();
    }
}

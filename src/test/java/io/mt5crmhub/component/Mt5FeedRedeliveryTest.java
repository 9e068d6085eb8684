package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.mt5crmhub.event.Mt5Event;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * An exchange that fails for good (its error handling gave up, as when even the dead letter cannot be written)
 * does not lose its deal: the feed reads it again from MT5 by a back-fill, with no reconnect in between.
 */
class Mt5FeedRedeliveryTest extends CamelTestSupport {

    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicReference<String> failedOnce = new AtomicReference<>();

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("mt5.servers", "s1");
        p.put("mt5.server.s1.gateway", "simulator");
        p.put("mt5.server.s1.rate", "50");
        p.put("mt5.server.s1.seed", "7");
        p.put("mt5.server.s1.clients", "5");
        try {
            p.put("mt5.server.s1.data-dir", Files.createTempDirectory("mt5-redelivery").toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("mt5:deals?server=s1").routeId("fails-once")
                        .process(exchange -> {
                            Mt5Event event = exchange.getMessage().getBody(Mt5Event.class);
                            // a live deal well after the first back-fill, so only a new back-fill can bring it again
                            boolean live = !exchange.getMessage().getHeader(Mt5Constants.BACKFILL, Boolean.class);
                            if (live && seen.incrementAndGet() == 30) {
                                failedOnce.set(event.eventId());
                                throw new IllegalStateException("the sink is away");
                            }
                        })
                        .to("mock:delivered");
            }
        };
    }

    @Test
    void aFailedDealIsReadAgainFromMt5AndDelivered() {
        MockEndpoint delivered = getMockEndpoint("mock:delivered");
        await().atMost(Duration.ofSeconds(20)).until(() -> failedOnce.get() != null && delivered
                .getReceivedExchanges().stream().anyMatch(e -> failedOnce.get().equals(e.getMessage().getBody(
                        Mt5Event.class).eventId())));

        Mt5Component component = context.getComponent("mt5", Mt5Component.class);
        assertThat(component.connections().get("s1").isConnected()).as("no reconnect was needed").isTrue();
    }
}

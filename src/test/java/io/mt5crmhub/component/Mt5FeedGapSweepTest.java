package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.Mt5GatewayFactory;
import io.mt5crmhub.testsupport.EventSamples;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A deal the live stream never delivers and that shows in MT5's history only after the connect's back-fill (booked
 * late, or made visible to the manager later) is found by the periodic gap sweep, with no reconnect.
 */
class Mt5FeedGapSweepTest extends CamelTestSupport {

    private static final Mt5Event FIRST = EventSamples.deposit("g1", 1000001, 50001, "10.00", "");
    private static final Mt5Event MISSED = EventSamples.deposit("g1", 1000002, 50001, "20.00", "");
    private static final Mt5Event THIRD = EventSamples.deposit("g1", 1000003, 50001, "30.00", "");

    private final GappyGateway gateway = new GappyGateway();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("gatewayFactory", new Mt5GatewayFactory() {
            @Override
            public List<String> serverIds() {
                return List.of("g1");
            }

            @Override
            public Mt5EventSource create(String serverId) {
                return gateway;
            }
        });
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("mt5:deals?server=g1&gapSweepInterval=1s").routeId("swept").to("mock:deals");
            }
        };
    }

    @Test
    void aDealTheLiveStreamMissedIsFoundByTheGapSweepWithoutAReconnect() {
        MockEndpoint deals = getMockEndpoint("mock:deals");
        await().atMost(Duration.ofSeconds(10)).until(() -> deals.getReceivedExchanges().stream()
                .anyMatch(e -> MISSED.equals(e.getMessage().getBody(Mt5Event.class))));

        assertThat(deals.getReceivedExchanges().stream().filter(e -> MISSED.equals(e.getMessage()
                .getBody(Mt5Event.class))).findFirst().orElseThrow().getMessage()
                .getHeader(Mt5Constants.BACKFILL, Boolean.class)).as("found by a back-fill").isTrue();
        assertThat(gateway.connects.get()).as("no reconnect").isEqualTo(1);
    }

    /** Streams the first and third deal live; its history shows the second only a second after the connect. */
    private static final class GappyGateway implements Mt5EventSource {

        final AtomicInteger connects = new AtomicInteger();
        private volatile long missedVisibleAt = Long.MAX_VALUE;
        private volatile boolean connected;

        @Override
        public String serverId() {
            return "g1";
        }

        @Override
        public void connect(GatewayListener listener) {
            connects.incrementAndGet();
            connected = true;
            missedVisibleAt = System.currentTimeMillis() + 1_000;
            listener.onConnected();
            Thread live = new Thread(() -> {
                try {
                    listener.onEvent(FIRST);
                    listener.onEvent(THIRD);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            live.start();
        }

        @Override
        public List<Mt5Event> dealHistory(Instant from, Instant to) {
            return System.currentTimeMillis() >= missedVisibleAt ? List.of(FIRST, MISSED, THIRD) : List.of(FIRST, THIRD);
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void disconnect() {
            connected = false;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public List<Mt5Event> accounts() {
            return List.of();
        }

        @Override
        public List<Mt5Event> openPositions() {
            return List.of();
        }
    }
}

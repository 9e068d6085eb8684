package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.component.Mt5Component;
import io.mt5crmhub.component.Mt5Connection;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.Mt5TestContext;

/**
 * The native gateway under the real mt5: component: an outage is the connection DOWN with its reason, and after it
 * the component's back-fill from its checkpoint and the gateway's snapshots bring everything the outage hid.
 */
class NativeComponentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long LOGIN = 50012;

    private Mt5Stub.Control stub;
    private Mt5TestContext camel;

    @BeforeEach
    void resetStandIn() {
        stub = Mt5Stub.reset();
        stub.stub_user_event(Mt5Stub.ADD, LOGIN, Mt5Stub.utf16("real\\usd"), Mt5Stub.utf16("Ann"), Mt5Stub.utf16(""),
                Mt5Stub.utf16(""), 100, 0, 0, 0);
        stub.stub_position_event(Mt5Stub.ADD, 7001, LOGIN, Mt5Stub.utf16("EURUSD"), 0, 10000, 1.1, 0,
                System.currentTimeMillis() - 60_000);
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @Test
    void anOutageIsDownWithItsReasonAndEverythingItHidArrivesAfterIt() throws Exception {
        long t = System.currentTimeMillis();
        deal(1, t - 120_000); // before the start: the initial back-fill reads it
        camel = new Mt5TestContext().source(NativeGateways.create(Map.of()))
                .checkpoints(new MemoryStateRepository())
                .routes(rb -> {
                    rb.from("mt5:deals?server=live1&initialBackfill=1h").routeId("deals").to("mock:deals");
                    rb.from("mt5:positions?server=live1").routeId("positions").to("mock:positions");
                })
                .start();
        MockEndpoint deals = camel.mock("mock:deals");
        MockEndpoint positions = camel.mock("mock:positions");
        Mt5Connection connection = camel.context().getComponent("mt5", Mt5Component.class).connections()
                .get("live1");
        await().atMost(WAIT).until(() -> tickets(deals).contains(1L) && connection.isConnected());
        deal(2, System.currentTimeMillis());
        await().atMost(WAIT).until(() -> tickets(deals).contains(2L));

        stub.stub_drop_connection();
        await().atMost(WAIT).until(() -> !connection.isConnected());
        assertThat(connection.lastProblem()).contains("dropped the connection");
        deal(3, System.currentTimeMillis()); // the history only: MT5 does not push what happened meanwhile
        deal(4, System.currentTimeMillis());
        stub.stub_position_event(Mt5Stub.DELETE, 7001, LOGIN, Mt5Stub.utf16("EURUSD"), 0, 10000, 1.1, 0,
                System.currentTimeMillis());
        stub.stub_restore_connection();

        await().atMost(WAIT).until(connection::isConnected);
        deal(5, System.currentTimeMillis());
        await().atMost(WAIT).until(() -> tickets(deals).containsAll(List.of(1L, 2L, 3L, 4L, 5L)));
        await().atMost(WAIT).until(() -> types(positions).contains("position.deleted 7001"));

        assertThat(tickets(deals)).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 5).boxed().toList());
        assertThat(connection.lastProblem()).isNull();
    }

    private void deal(long ticket, long timeMsc) {
        stub.stub_deal_event(Mt5Stub.ADD, ticket, LOGIN, 2, 0, 0, 0, 10, Mt5Stub.utf16(""), Mt5Stub.utf16(""), timeMsc,
                0);
    }

    private static Set<Long> tickets(MockEndpoint endpoint) {
        Set<Long> tickets = new HashSet<>();
        for (Mt5Event event : events(endpoint)) {
            tickets.add(event.deal().ticket());
        }
        return tickets;
    }

    private static Set<String> types(MockEndpoint endpoint) {
        Set<String> types = new HashSet<>();
        for (Mt5Event event : events(endpoint)) {
            types.add(event.type() + " " + event.position().ticket());
        }
        return types;
    }

    private static List<Mt5Event> events(MockEndpoint endpoint) {
        List<Mt5Event> events = new java.util.ArrayList<>();
        for (Exchange exchange : List.copyOf(endpoint.getReceivedExchanges())) {
            Object body = exchange.getMessage().getBody();
            if (body instanceof List<?> list) {
                list.forEach(e -> events.add((Mt5Event) e));
            } else {
                events.add((Mt5Event) body);
            }
        }
        return events;
    }
}

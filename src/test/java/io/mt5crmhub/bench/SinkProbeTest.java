package io.mt5crmhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.mt5crmhub.bench.SinkProbe.Latencies;
import io.mt5crmhub.bench.SinkProbe.Sink;
import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmark's probe counts the events each sink applied, and times those handed over inside its window. */
class SinkProbeTest {

    private static final Mt5Event DEPOSIT = EventSamples.deposit("s1", 1000001, 50001, "100.00", "first");
    private static final Mt5Event ACCOUNT = EventSamples.account("s1", 50001, "100.00", EventSamples.T0);

    private final SinkProbe probe = new SinkProbe();
    private DefaultCamelContext context;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.getManagementStrategy().addEventNotifier(probe.notifier());
        context.addRoutePolicyFactory(probe.policyFactory());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // a connector, as the hub's sinks call them: its kamelet route runs on a copy of the exchange
                routeTemplate("connector").from("kamelet:source").setBody(constant("applied"));
                from("direct:store").routeId("crm-store-deals").to("kamelet:connector");
                from("direct:rabbitmq").routeId("rabbitmq-accounts").log("published");
                from("direct:duplicate").routeId("crm-store-positions")
                        .setProperty(Exchange.DUPLICATE_MESSAGE, constant(true));
                from("direct:failing").routeId("crm-store-accounts").onException(IllegalStateException.class)
                        .handled(true).end().throwException(new IllegalStateException("dead-lettered"));
                from("direct:replay").routeId("rabbitmq-replay").log("replayed");
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void countsTheEventsEachSinkApplied() {
        long now = SinkProbe.epochNanos();
        send("direct:store", DEPOSIT, now);
        send("direct:store", List.of(DEPOSIT, ACCOUNT, DEPOSIT), now);
        send("direct:rabbitmq", List.of(ACCOUNT, ACCOUNT), now);
        send("direct:duplicate", DEPOSIT, now);
        send("direct:failing", ACCOUNT, now);
        send("direct:replay", DEPOSIT, now);

        assertThat(probe.applied(Sink.CRM_STORE)).as("a batch counts its events, the connector's copy does not"
                + " count").isEqualTo(4);
        assertThat(probe.applied(Sink.RABBITMQ)).as("the replay route is not a sink's stream").isEqualTo(2);
        assertThat(probe.duplicates(Sink.CRM_STORE)).isEqualTo(1);
        assertThat(probe.failed(Sink.CRM_STORE)).as("handled by an error policy: dead-lettered").isEqualTo(1);
        assertThat(probe.appliedDeals(Sink.CRM_STORE)).as("of the -deals route only").isEqualTo(4);
        assertThat(probe.appliedDeals(Sink.RABBITMQ)).as("rabbitmq-accounts is not a deals route").isZero();
    }

    @Test
    void recordsTheLatencyOfTheEventsHandedOverInsideTheWindow() {
        long start = SinkProbe.epochNanos();
        send("direct:store", DEPOSIT, start - 1); // before the window
        probe.openWindow(start);
        send("direct:store", DEPOSIT, start - 5_000_000); // handed over 5 ms before the window: not recorded
        send("direct:store", List.of(DEPOSIT, ACCOUNT), start);
        probe.closeWindow(start + 1);
        send("direct:store", DEPOSIT, start + 1);

        Latencies latencies = probe.latencies(Sink.CRM_STORE);
        assertThat(latencies.count()).as("both events of the batch, timed from its receive time").isEqualTo(2);
        assertThat(latencies.sorted()[0]).isPositive();
        assertThat(latencies.waitQuantile(1.0)).as("in the queue: hand-over to the route's start")
                .isPositive().isLessThanOrEqualTo(latencies.max());
        assertThat(latencies.firstReceivedAt()).isEqualTo(start);
        assertThat(latencies.firstOccurredAt()).isEqualTo(DEPOSIT.occurredAt());
        assertThat(probe.latestReceivedAt(Sink.CRM_STORE)).isEqualTo(start + 1);
        assertThat(probe.recorded(Sink.RABBITMQ)).isZero();
    }

    @Test
    void quantilesAreNearestRank() {
        Latencies latencies = new Latencies(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThat(latencies.quantile(0.5)).isEqualTo(5);
        assertThat(latencies.quantile(0.99)).isEqualTo(10);
        assertThat(latencies.max()).isEqualTo(10);
        assertThat(new Latencies(new long[0]).quantile(0.99)).isZero();
    }

    private void send(String uri, Object body, long receivedAt) {
        template.sendBodyAndHeader(uri, body, Mt5Constants.RECEIVED_AT, receivedAt);
    }
}

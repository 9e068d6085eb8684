package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.Mt5TestContext;
import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mt5: consumer end to end on the replay gateway: filters, headers, one connection per server. */
class Mt5ComponentReplayTest {

    private static final Mt5Event DEPOSIT = EventSamples.deposit("r1", 1000001, 50001, "100.00", "first");
    private static final Mt5Event TRADE = EventSamples.buy("r1", 1000002, 50001, 5000001, "0.10");
    private static final Mt5Event OTHER_SERVER_DEPOSIT = EventSamples.deposit("r2", 1000001, 60001, "5.00", "");

    @AutoClose
    private Mt5TestContext camel;
    private long startedAt;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        startedAt = epochNanos();
        Path replay1 = EventSamples.writeJsonl(dir.resolve("r1.jsonl"), List.of(
                EventSamples.json(DEPOSIT),
                "{this is not an event",
                EventSamples.json(TRADE),
                EventSamples.json(DEPOSIT),
                EventSamples.json(EventSamples.account("r1", 50001, "100.00", EventSamples.T0))));
        Path replay2 = EventSamples.writeJsonl(dir.resolve("r2.jsonl"), List.of(EventSamples.json(OTHER_SERVER_DEPOSIT)));
        camel = new Mt5TestContext().replay("r1", replay1).replay("r2", replay2)
                .routes(rb -> {
                    rb.from("mt5:deals?server=r1").routeId("r1-deals").to("mock:r1-deals");
                    rb.from("mt5:deals?server=r1&actions=BALANCE").routeId("r1-balance").to("mock:r1-balance");
                    rb.from("mt5:accounts?server=r1").routeId("r1-accounts").to("mock:r1-accounts");
                    rb.from("mt5:deals").routeId("all-deals").to("mock:all-deals");
                    rb.from("mt5:deals?server=r1&batchSize=10&checkpointId=batched").routeId("r1-batches")
                            .to("mock:r1-batches");
                })
                .start();
    }

    @Test
    void deliversEachServersEventsThroughOneSharedConnection() {
        MockEndpoint deals = camel.mock("mock:r1-deals");
        MockEndpoint all = camel.mock("mock:all-deals");
        await().atMost(Duration.ofSeconds(10)).until(() -> deals.getReceivedCounter() >= 3 && all.getReceivedCounter() >= 4
                && camel.mock("mock:r1-balance").getReceivedCounter() >= 2
                && camel.mock("mock:r1-accounts").getReceivedCounter() >= 1);

        assertThat(bodies(deals)).containsExactly(DEPOSIT, TRADE, DEPOSIT);
        assertThat(bodies(camel.mock("mock:r1-balance"))).containsExactly(DEPOSIT, DEPOSIT);
        assertThat(bodies(camel.mock("mock:r1-accounts"))).extracting(Mt5Event::type)
                .containsExactly(EventType.ACCOUNT_UPDATED);
        assertThat(bodies(all)).extracting(Mt5Event::server).containsOnly("r1", "r2").hasSize(4);
        Message first = deals.getReceivedExchanges().get(0).getMessage();
        assertThat(first.getHeader(Mt5Constants.EVENT_ID)).isEqualTo("r1:deal:1000001:added");
        assertThat(first.getHeader(Mt5Constants.SERVER)).isEqualTo("r1");
        assertThat(first.getHeader(Mt5Constants.LOGIN)).isEqualTo(50001L);
        assertThat(first.getHeader(Mt5Constants.DEAL_ACTION)).isEqualTo("BALANCE");
        assertThat(deals.getReceivedExchanges().get(1).getMessage().getHeader(Mt5Constants.EVENT_TYPE))
                .isEqualTo("deal.added");
        assertThat(camel.component().connections()).containsOnlyKeys("r1", "r2");
    }

    @Test
    void withABatchSizeEachExchangeCarriesAListOfTheEventsWaiting() {
        MockEndpoint batches = camel.mock("mock:r1-batches");
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.getReceivedExchanges().stream()
                .mapToInt(e -> e.getMessage().getBody(List.class).size()).sum() >= 3);

        List<Mt5Event> events = batches.getReceivedExchanges().stream()
                .flatMap(e -> e.getMessage().getBody(List.class).stream()).map(Mt5Event.class::cast).toList();
        assertThat(events).containsExactly(DEPOSIT, TRADE, DEPOSIT);
        for (org.apache.camel.Exchange exchange : batches.getReceivedExchanges()) {
            assertThat(exchange.getMessage().getHeader(Mt5Constants.BATCH_SIZE))
                    .isEqualTo(exchange.getMessage().getBody(List.class).size());
            assertThat(exchange.getMessage().getHeader(Mt5Constants.SERVER)).isEqualTo("r1");
            assertThat(exchange.getMessage().getHeader(Mt5Constants.EVENT_ID)).isNull();
        }
    }

    @Test
    void everyExchangeCarriesTheWallClockTimeItsEarliestEventReachedTheHub() {
        MockEndpoint deals = camel.mock("mock:r1-deals");
        MockEndpoint batches = camel.mock("mock:r1-batches");
        await().atMost(Duration.ofSeconds(10)).until(() -> deals.getReceivedCounter() >= 3
                && batches.getReceivedCounter() >= 1);
        long now = epochNanos();

        for (MockEndpoint mock : List.of(deals, batches)) {
            assertThat(mock.getReceivedExchanges()).allSatisfy(exchange -> assertThat(
                    exchange.getMessage().getHeader(Mt5Constants.RECEIVED_AT, Long.class)).isBetween(startedAt, now));
        }
    }

    @Test
    void aBatchSizeOutOfRangeIsRefusedByName() {
        assertThatThrownBy(() -> camel.context().getEndpoint("mt5:deals?batchSize=0").createConsumer(e -> { }))
                .hasStackTraceContaining("batchSize must be between 1 and 10000, was 0");
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static List<Mt5Event> bodies(MockEndpoint mock) {
        return mock.getReceivedExchanges().stream().map(e -> e.getMessage().getBody(Mt5Event.class)).toList();
    }
}

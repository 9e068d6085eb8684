package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.Mt5TestContext;
import io.mt5crmhub.testsupport.StubEventSource;
import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;

/**
 * Where a deal back-fill starts (the stored checkpoint, or the initial window), how it is cut into exchanges, and
 * the snapshot that back-fills accounts.
 */
class Mt5FeedBackfillTest {

    private static final Mt5Event EARLIER = EventSamples.deposit("c1", 1000001, 50001, "10.00", "");
    private static final Mt5Event LATER = EventSamples.deposit("c1", 1000002, 50001, "20.00", "");
    private static final Mt5Event LAST = EventSamples.deposit("c1", 1000003, 50001, "30.00", "");

    private final MemoryStateRepository checkpoints = new MemoryStateRepository();

    @Test
    void aRestartBackFillsFromTheStoredCheckpointMinusTheOverlap() throws Exception {
        String contextName;
        try (Mt5TestContext camel = start(new StubEventSource("c1").live(EARLIER, LATER), "backfillOverlap=2m")) {
            contextName = camel.context().getName();
            MockEndpoint deals = camel.mock("mock:deals");
            await().atMost(Duration.ofSeconds(10)).until(() -> deals.getReceivedCounter() >= 2);
        }
        assertThat(checkpoints.getState("mt5:c1:deals:resume")).as("stored at stop")
                .isEqualTo(Long.toString(LATER.occurredAt().toEpochMilli()));
        assertThat(Thread.getAllStackTraces().keySet()).as("feed threads left running (no meter registry here)")
                .noneMatch(t -> t.getName().contains("(" + contextName + ")") && t.getName().contains("mt5-deals"));

        StubEventSource restarted = new StubEventSource("c1");
        try (Mt5TestContext camel = start(restarted, "backfillOverlap=2m")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !restarted.historyReadsFrom().isEmpty());
        }
        assertThat(restarted.historyReadsFrom().get(0)).isEqualTo(LATER.occurredAt().minus(Duration.ofMinutes(2)));
    }

    /**
     * After a connect, a live deal can be routed before the feed takes the back-fill the connect asked for; it must
     * not move the checkpoint, or the back-fill would start after the deals it has to read (found by the benchmark:
     * a sink of a hub started on a day of history read only its last five minutes).
     */
    @Test
    void aLiveDealRoutedBeforeTheBackFillLeavesTheCheckpointWhereTheBackFillStarts() throws Exception {
        Instant now = Instant.now();
        Instant stored = now.minus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        checkpoints.setState("mt5:c1:deals:resume", Long.toString(stored.toEpochMilli()));
        Mt5Event missed = deal(3_000_001, now.minus(Duration.ofHours(2)));
        Mt5Event live = deal(3_000_002, now);
        StubEventSource gateway = new StubEventSource("c1").live(live).dealHistory(missed, live);
        try (Mt5TestContext camel = start(gateway, "backfillOverlap=1m")) {
            MockEndpoint deals = camel.mock("mock:deals");
            await().atMost(Duration.ofSeconds(10)).until(() -> singleTickets(deals).contains(3_000_001L));
        }
        assertThat(gateway.historyReadsFrom().get(0)).isEqualTo(stored.minus(Duration.ofMinutes(1)));
    }

    private static Mt5Event deal(long ticket, Instant time) {
        Mt5Event deposit = EventSamples.deposit("c1", ticket, 50001, "1.00", "");
        return Mt5Event.ofDeal("c1", deposit.type(), 50001, "real\\usd", time, deposit.deal());
    }

    private static java.util.Set<Long> singleTickets(MockEndpoint deals) {
        java.util.Set<Long> tickets = new java.util.HashSet<>();
        for (var exchange : deals.getReceivedExchanges()) {
            tickets.add(exchange.getMessage().getBody(Mt5Event.class).deal().ticket());
        }
        return tickets;
    }

    @Test
    void theFirstStartReadsTheInitialWindow() throws Exception {
        StubEventSource gateway = new StubEventSource("c1");
        Instant before = Instant.now();
        try (Mt5TestContext camel = start(gateway, "initialBackfill=3h")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.historyReadsFrom().isEmpty());
        }
        assertThat(gateway.historyReadsFrom().get(0)).isBetween(before.minus(Duration.ofHours(3)),
                Instant.now().minus(Duration.ofHours(3)));
    }

    @Test
    void aBackFillWithABatchSizeRoutesListsOfAtMostThatMany() throws Exception {
        StubEventSource gateway = new StubEventSource("c1").dealHistory(EARLIER, LATER, LAST);
        try (Mt5TestContext camel = start(gateway, "batchSize=2&initialBackfill=30d")) {
            MockEndpoint deals = camel.mock("mock:deals");
            await().atMost(Duration.ofSeconds(10)).until(() -> deals.getReceivedCounter() >= 2);

            assertThat(deals.getReceivedExchanges()).extracting(e -> e.getMessage().getBody(List.class))
                    .containsExactly(List.of(EARLIER, LATER), List.of(LAST));
            for (var exchange : deals.getReceivedExchanges()) {
                Message message = exchange.getMessage();
                assertThat(message.getHeader(Mt5Constants.BACKFILL, Boolean.class)).isTrue();
                assertThat(message.getHeader(Mt5Constants.SERVER)).isEqualTo("c1");
                assertThat(message.getHeader(Mt5Constants.BATCH_SIZE)).isEqualTo(message.getBody(List.class).size());
            }
        }
    }

    /**
     * A sink far behind reads its lag from MT5 in windows and misses nothing, also from a server that cannot answer
     * more than a few thousand deals at once (a window grown over the quiet hour before is read again smaller).
     */
    @Test
    void aLongLagIsReadInWindowsOfAFewThousandDeals() throws Exception {
        Instant start = Instant.now().minus(Duration.ofMinutes(20));
        List<Mt5Event> history = new java.util.ArrayList<>();
        for (int i = 0; i < 30_000; i++) { // 25 a second for 20 minutes
            Mt5Event deposit = EventSamples.deposit("c1", 2_000_000 + i, 50001, "1.00", "");
            history.add(Mt5Event.ofDeal("c1", deposit.type(), 50001, "real\\usd", start.plusMillis(40L * i),
                    deposit.deal()));
        }
        StubEventSource gateway = new StubEventSource("c1").dealHistory(history.toArray(Mt5Event[]::new))
                .maxHistoryAnswer(8_000);
        try (Mt5TestContext camel = start(gateway, "batchSize=500&initialBackfill=1h")) {
            MockEndpoint deals = camel.mock("mock:deals");
            await().atMost(Duration.ofSeconds(30)).until(() -> tickets(deals).size() == history.size());
        }
        assertThat(gateway.historyReadsFrom()).as("windows, not one read").hasSizeGreaterThan(3);
        assertThat(gateway.largestHistoryAnswer()).as("deals in the largest answer").isLessThanOrEqualTo(8_000);
    }

    private static java.util.Set<Long> tickets(MockEndpoint deals) {
        java.util.Set<Long> tickets = new java.util.HashSet<>();
        for (var exchange : deals.getReceivedExchanges()) {
            for (Object event : exchange.getMessage().getBody(List.class)) {
                tickets.add(((Mt5Event) event).deal().ticket());
            }
        }
        return tickets;
    }

    @Test
    void accountsAreBackFilledFromASnapshot() throws Exception {
        Mt5Event account = EventSamples.account("c1", 50001, "100.00", EventSamples.T0);
        StubEventSource gateway = new StubEventSource("c1").dealHistory(EARLIER).snapshot(account);
        try (Mt5TestContext camel = new Mt5TestContext().source(gateway)
                .routes(rb -> rb.from("mt5:accounts?server=c1").to("mock:accounts")).start()) {
            MockEndpoint accounts = camel.mock("mock:accounts");
            await().atMost(Duration.ofSeconds(10)).until(() -> accounts.getReceivedCounter() >= 1);

            Message message = accounts.getReceivedExchanges().get(0).getMessage();
            assertThat(message.getBody(Mt5Event.class)).isEqualTo(account);
            assertThat(message.getHeader(Mt5Constants.BACKFILL, Boolean.class)).isTrue();
            assertThat(gateway.historyReadsFrom()).as("no deal history for accounts").isEmpty();
        }
    }

    private Mt5TestContext start(StubEventSource gateway, String options) throws Exception {
        return new Mt5TestContext().source(gateway).checkpoints(checkpoints)
                .routes(rb -> rb.from("mt5:deals?server=c1&" + options).routeId("resume").to("mock:deals"))
                .start();
    }
}

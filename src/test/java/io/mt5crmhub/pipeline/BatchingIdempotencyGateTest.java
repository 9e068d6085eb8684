package io.mt5crmhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.JdbcStateRepository;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.FaultyDataSource;
import io.mt5crmhub.testsupport.TestDatabases;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batching gate drops what its processor name has seen, and forgets the key of an event that failed. */
class BatchingIdempotencyGateTest extends CamelTestSupport {

    private HubDatabase db;
    private FaultyDataSource database;
    private BatchingIdempotencyGate gate;
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        db = TestDatabases.h2InMemory(4);
        database = new FaultyDataSource(db.dataSource());
        gate = new BatchingIdempotencyGate(database, db.dialect(), "gate-test");
        gate.start();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").process(gate).to("mock:out")
                        .filter(header("fail").isEqualTo(true)).throwException(new IllegalStateException("sink down"));
                // the sink fails while the database has gone away: the key cannot be deleted then
                from("direct:failing-while-the-database-is-away").process(gate).to("mock:out").process(e -> {
                    database.setAway(true);
                    throw new IllegalStateException("sink down");
                });
                // the gate retried as the database-outage policy retries it
                from("direct:retried").onException(Exception.class).maximumRedeliveries(3).redeliveryDelay(0).end()
                        .process(gate).to("mock:retried");
                from("direct:held").process(gate).process(e -> release.await());
                // a sink that delivered part of a list before failing names the rest as undelivered
                from("direct:partly").process(gate).to("mock:partly").process(e -> {
                    List<Mt5Event> events = ExchangeEvents.of(e);
                    ExchangeEvents.setUndelivered(e, events.subList(1, events.size()));
                    throw new IllegalStateException("delivered only the first");
                });
            }
        };
    }

    @AfterEach
    void close() throws Exception {
        release.countDown();
        gate.stop();
        db.close();
    }

    @Test
    void eachKeyPassesOnceEvenWhenDuplicatesArriveTogether() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:out");
        List<CompletableFuture<Exchange>> sent = new java.util.ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 200; i++) {
                String key = "sim:deal:" + i + ":added";
                sent.add(template.asyncSend("direct:in", e -> e.getMessage().setHeader(Mt5Constants.EVENT_ID, key)));
            }
        }
        for (CompletableFuture<Exchange> f : sent) {
            assertThat(f.get(10, TimeUnit.SECONDS).getException()).isNull();
        }

        assertThat(out.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(Mt5Constants.EVENT_ID))
                .hasSize(200).doesNotHaveDuplicates();
        assertThat(sent).filteredOn(f -> f.join().getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class))
                .hasSize(400);
    }

    @Test
    void aFailedEventGivesItsKeyBackSoItCanBeTriedAgain() {
        Exchange failed = template.send("direct:in", e -> {
            e.getMessage().setHeader(Mt5Constants.EVENT_ID, "sim:deal:9:added");
            e.getMessage().setHeader("fail", true);
        });
        assertThat(failed.getException()).hasMessage("sink down");

        Exchange retried = template.send("direct:in", e -> e.getMessage().setHeader(Mt5Constants.EVENT_ID, "sim:deal:9:added"));

        assertThat(retried.getException()).isNull();
        assertThat(retried.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)).isFalse();
        assertThat(getMockEndpoint("mock:out").getReceivedCounter()).isEqualTo(2);
    }

    /**
     * The event failed while its key could not be deleted: the back-fill bringing it again must not find it a duplicate
     * (it would never be delivered). A key whose event has not come again yet holds the safe point before it, so the
     * next start forgets it.
     */
    @Test
    void aFailedEventWhoseKeyCouldNotBeGivenBackPassesWhenItComesAgain() throws Exception {
        Exchange failed = template.send("direct:failing-while-the-database-is-away",
                e -> e.getMessage().setBody(List.of(deposit(41), deposit(42))));
        assertThat(failed.getException()).hasMessage("sink down");
        database.setAway(false);

        Exchange again = template.send("direct:in", e -> e.getMessage().setBody(List.of(deposit(41))));

        assertThat(again.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)).isFalse();
        assertThat(again.getMessage().getBody(List.class)).containsExactly(deposit(41));
        Exchange third = template.send("direct:in", e -> e.getMessage().setBody(List.of(deposit(41))));
        assertThat(third.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)).as("delivered once").isTrue();

        gate.stop();
        BatchingIdempotencyGate restarted = new BatchingIdempotencyGate(db.dataSource(), db.dialect(), "gate-test");
        restarted.start();
        restarted.stop();
        assertThat(createdAt(deposit(42))).as("forgotten at the next start").isNull();
    }

    /** A key another exchange stored since it was kept is that exchange's: the copy taking it is a duplicate. */
    @Test
    void aKeptKeyStoredAgainByAnotherExchangeMeanwhileIsNotTakenTwice() throws Exception {
        Exchange failed = template.send("direct:failing-while-the-database-is-away",
                e -> e.getMessage().setBody(List.of(deposit(43))));
        assertThat(failed.getException()).hasMessage("sink down");
        database.setAway(false);
        // the key deleted and stored again by someone else (another exchange after a restart of the table's owner)
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE CAMEL_MESSAGEPROCESSED SET createdAt = ? WHERE messageId = ?")) {
            ps.setTimestamp(1, new Timestamp(System.currentTimeMillis() + 60_000));
            ps.setString(2, deposit(43).eventId());
            assertThat(ps.executeUpdate()).isOne();
        }

        Exchange again = template.send("direct:in", e -> e.getMessage().setBody(List.of(deposit(43))));

        assertThat(again.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)).isTrue();
    }

    /** Keys whose commit took effect though it failed are the retry's own: its events go on, once. */
    @Test
    void aRetryAfterACommitThatFailedButTookEffectLetsItsEventsThrough() throws Exception {
        database.loseTheNextCommitsAnswer("INSERT INTO CAMEL_MESSAGEPROCESSED");

        Exchange sent = template.send("direct:retried", e -> e.getMessage().setBody(List.of(deposit(51), deposit(52))));

        assertThat(sent.getException()).isNull();
        assertThat(getMockEndpoint("mock:retried").getReceivedExchanges()).hasSize(1);
        assertThat(sent.getMessage().getBody(List.class)).containsExactly(deposit(51), deposit(52));
        Exchange again = template.send("direct:in", e -> e.getMessage().setBody(List.of(deposit(51))));
        assertThat(again.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)).isTrue();
    }

    @Test
    void aListLosesItsDuplicatesAndStopsOnlyWhenNothingIsLeft() {
        List<Mt5Event> first = List.of(deposit(1), deposit(2), deposit(2), deposit(3));
        Exchange sent = template.send("direct:in", e -> e.getMessage().setBody(first));
        assertThat(sent.getException()).isNull();
        assertThat(sent.getMessage().getBody(List.class)).containsExactly(deposit(1), deposit(2), deposit(3));

        Exchange overlapping = template.send("direct:in", e -> e.getMessage().setBody(
                List.of(deposit(3), deposit(4), deposit(1))));
        assertThat(overlapping.getMessage().getBody(List.class)).containsExactly(deposit(4));

        Exchange allSeen = template.send("direct:in", e -> e.getMessage().setBody(List.of(deposit(2), deposit(4))));
        assertThat(allSeen.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)).isTrue();
        assertThat(getMockEndpoint("mock:out").getReceivedCounter()).isEqualTo(2);
    }

    @Test
    void aListThatFailedPartlyGivesBackOnlyTheKeysOfWhatWasNotDelivered() {
        Exchange failed = template.send("direct:partly", e -> e.getMessage().setBody(
                List.of(deposit(7), deposit(8), deposit(9))));
        assertThat(failed.getException()).hasMessage("delivered only the first");

        Exchange again = template.send("direct:in", e -> e.getMessage().setBody(
                List.of(deposit(7), deposit(8), deposit(9))));

        assertThat(again.getMessage().getBody(List.class)).containsExactly(deposit(8), deposit(9));
    }

    private static Mt5Event deposit(long ticket) {
        return EventSamples.deposit("sim", ticket, 50001, "10.00", "");
    }

    @Test
    void aKeyWhoseEventWasStillInFlightWhenTheHubDiedIsForgottenAtTheNextStart() throws Exception {
        assertThat(template.send("direct:in", e -> e.getMessage().setBody(List.of(deposit(21)))).getException())
                .isNull();
        long delivered = createdAt(deposit(21)).getTime();
        await().until(() -> System.currentTimeMillis() > delivered); // the next batch gets a later stamp
        CompletableFuture<Exchange> inFlight = template.asyncSend("direct:held",
                e -> e.getMessage().setBody(List.of(deposit(22))));
        await().until(() -> createdAt(deposit(22)) != null);
        JdbcStateRepository states = new JdbcStateRepository(db.dataSource(), db.dialect());
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            String safePoint = states.getState("mt5:sim:safe-point:gate-test");
            return safePoint != null && Long.parseLong(safePoint) > delivered;
        });

        // the process "dies" here: a new gate on the same database starts while the event was never confirmed
        BatchingIdempotencyGate afterCrash = new BatchingIdempotencyGate(db.dataSource(), db.dialect(), "gate-test");
        afterCrash.start();
        afterCrash.stop();

        assertThat(createdAt(deposit(22))).as("the unconfirmed event's key").isNull();
        assertThat(createdAt(deposit(21))).as("the delivered event's key").isNotNull();
        assertThat(inFlight).isNotDone();
    }

    @Test
    void aHubThatDiesBeforeItsFirstPeriodicSafePointStillForgetsWhatItStored() throws Exception {
        BatchingIdempotencyGate first = new BatchingIdempotencyGate(db.dataSource(), db.dialect(), "gate-first");
        first.start();
        try {
            Exchange inFlight = new org.apache.camel.support.DefaultExchange(context);
            inFlight.getMessage().setBody(List.of(deposit(41)));
            first.process(inFlight); // stored; its exchange never completes: the process dies
            assertThat(createdAt("gate-first", deposit(41))).isNotNull();

            BatchingIdempotencyGate next = new BatchingIdempotencyGate(db.dataSource(), db.dialect(), "gate-first");
            next.start();
            next.stop();

            assertThat(createdAt("gate-first", deposit(41))).as("the unconfirmed event's key").isNull();
        } finally {
            first.stop();
        }
    }

    @Test
    void aCleanStopLeavesEveryKey() throws Exception {
        template.send("direct:in", e -> e.getMessage().setBody(List.of(deposit(31), deposit(32))));
        gate.stop();

        BatchingIdempotencyGate restarted = new BatchingIdempotencyGate(db.dataSource(), db.dialect(), "gate-test");
        restarted.start();
        restarted.stop();

        assertThat(createdAt(deposit(31))).isNotNull();
        assertThat(createdAt(deposit(32))).isNotNull();
    }

    private Timestamp createdAt(Mt5Event event) throws SQLException {
        return createdAt("gate-test", event);
    }

    private Timestamp createdAt(String processorName, Mt5Event event) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT createdAt FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId = ?")) {
            ps.setString(1, processorName);
            ps.setString(2, event.eventId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1) : null;
            }
        }
    }
}

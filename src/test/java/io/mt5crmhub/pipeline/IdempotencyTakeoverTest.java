package io.mt5crmhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.store.FencedException;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.JdbcStateRepository;
import io.mt5crmhub.store.ServerLeases;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.TestDatabases;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two hub instances' gates of one sink on one database, each MT5 server read by one of them: the instance that takes a
 * server over forgets that server's keys its former owner stored and never saw confirmed, and no other server's; the
 * former owner's gate can store no key of the server any more.
 */
class IdempotencyTakeoverTest {

    private final HubDatabase db = TestDatabases.h2InMemory(4);
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final ServerLeases leasesA = ServerLeases.fenced(db.dataSource(), db.dialect(), "hub-a");
    private final ServerLeases leasesB = ServerLeases.fenced(db.dataSource(), db.dialect(), "hub-b");
    private final BatchingIdempotencyGate gateA = gate(leasesA);
    private final BatchingIdempotencyGate gateB = gate(leasesB);

    @AfterEach
    void close() throws Exception {
        gateA.stop();
        gateB.stop();
        db.close();
    }

    @Test
    void theNewOwnerForgetsOnlyTheTakenServersUnconfirmedKeysAndTheFormerOwnerCanStoreNoMore() throws Exception {
        leasesA.claim("live1");
        gateA.recover("live1");
        leasesA.claim("live2");
        gateA.recover("live2");
        gateA.start();
        inFlight(gateA, deposit("live1", 1)); // published, never confirmed: instance A dies here for live1
        inFlight(gateA, deposit("live2", 1)); // A still reads live2: its key must stay
        assertThat(keys()).containsExactlyInAnyOrder(deposit("live1", 1).eventId(), deposit("live2", 1).eventId());

        leasesB.claim("live1");
        gateB.recover("live1");
        gateB.start();

        assertThat(keys()).as("live1's unconfirmed key forgotten, live2's kept")
                .containsExactly(deposit("live2", 1).eventId());
        assertThatThrownBy(() -> inFlight(gateA, deposit("live1", 2)))
                .satisfies(e -> assertThat((Object) FencedException.in(e)).isNotNull());
        inFlight(gateB, deposit("live1", 1)); // the back-fill reads it again on B
        assertThat(keys()).containsExactlyInAnyOrder(deposit("live1", 1).eventId(), deposit("live2", 1).eventId());
    }

    @Test
    void aSafePointOfAnEarlierVersionIsHonouredOnceAtAStartWithOneInstance() throws Exception {
        BatchingIdempotencyGate before = new BatchingIdempotencyGate(db.dataSource(), db.dialect(), "takeover-test");
        Exchange stored = inFlight(before, deposit("sim", 1));
        long safePoint = System.currentTimeMillis() - 60_000; // an earlier version stored it before that key
        new JdbcStateRepository(db.dataSource(), db.dialect()).setState("idempotency-safe-point:takeover-test",
                Long.toString(safePoint));
        assertThat(stored.getException()).isNull();

        BatchingIdempotencyGate upgraded = new BatchingIdempotencyGate(db.dataSource(), db.dialect(), "takeover-test");
        upgraded.start();
        upgraded.stop();

        assertThat(keys()).isEmpty();
        assertThat(new JdbcStateRepository(db.dataSource(), db.dialect())
                .getState("idempotency-safe-point:takeover-test")).isNull();
    }

    private BatchingIdempotencyGate gate(ServerLeases leases) {
        return new BatchingIdempotencyGate(db.dataSource(), db.dialect(), "takeover-test",
                new JdbcStateRepository(db.dataSource(), db.dialect(), leases), leases);
    }

    /** An exchange of {@code event} through {@code gate}, left in flight (never completed). */
    private Exchange inFlight(BatchingIdempotencyGate gate, Mt5Event event) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(List.of(event));
        gate.process(exchange);
        return exchange;
    }

    private static Mt5Event deposit(String server, long ticket) {
        return EventSamples.deposit(server, 1_000_000 + ticket, 50001, "10.00", "");
    }

    private List<String> keys() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT messageId FROM CAMEL_MESSAGEPROCESSED WHERE processorName = 'takeover-test'")) {
            try (ResultSet rs = ps.executeQuery()) {
                List<String> keys = new java.util.ArrayList<>();
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
                return keys;
            }
        }
    }
}

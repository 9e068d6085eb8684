package io.mt5crmhub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.pipeline.RejectedEventsException;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.StoreQueries;
import org.junit.jupiter.api.Test;

/**
 * What the CRM store promises on every database it runs on: each apply idempotent, the stored row the newest
 * version whatever order the changes arrive in, one batch in one transaction, and an event the database refuses
 * rejected alone. {@link CrmEventStoreTest} runs it on H2, {@link CrmEventStorePostgresIT} on PostgreSQL.
 */
abstract class CrmStoreContract {

    private static final Instant T = EventSamples.T0;
    private static final long TICKET = 1_000_777;

    /** The database under test, migrated and empty; the same one for the whole test. */
    protected abstract HubDatabase db();

    private CrmEventStore store() {
        return new CrmEventStore(db().dataSource());
    }

    @Test
    void aDealAppliedTwiceIsOneRow() throws Exception {
        Mt5Event deposit = EventSamples.deposit("sim", 1000001, 50001, "250.00", "crm:TX-1").withClientId("C-1");

        store().apply(deposit);
        store().apply(deposit);

        assertThat(count("SELECT COUNT(*) FROM crm_deal")).isEqualTo(1);
        assertThat(row("SELECT client_id, action, profit, comment, deleted FROM crm_deal"))
                .containsExactly("C-1", "BALANCE", "250.00000000", "crm:TX-1", "false");
    }

    /**
     * A deal's add, an update, a newer update and its delete, in each of the 24 orders they can arrive in (the
     * older update after the newer one, the add after its delete...), one by one and as one batch: the deal ends
     * deleted with the newest values and its own time, and without the delete it ends with the newest update.
     */
    @Test
    void everyOrderOfAddUpdatesAndDeleteLeavesTheNewestStateAndTheTombstone() throws Exception {
        Mt5Event add = deal(EventType.DEAL_ADDED, T, "crm:TX-7");
        Mt5Event older = deal(EventType.DEAL_UPDATED, T.plusSeconds(10), "crm:TX-7 checked");
        Mt5Event newer = deal(EventType.DEAL_UPDATED, T.plusSeconds(20), "crm:TX-7 approved");
        Mt5Event delete = deal(EventType.DEAL_DELETED, T.plusSeconds(30), "crm:TX-7 approved");
        int server = 0;
        for (List<Mt5Event> order : permutations(List.of(add, older, newer, delete))) {
            for (boolean batched : List.of(false, true)) {
                String name = "p" + server++;
                applyAs(name, order, batched);
                assertThat(dealRow(name)).as("%s %s", batched ? "batch" : "one by one", types(order))
                        .containsExactly("crm:TX-7 approved", "true", T.plusSeconds(30).toString(), T.toString());
            }
        }
        for (List<Mt5Event> order : permutations(List.of(add, older, newer))) {
            String name = "p" + server++;
            applyAs(name, order, false);
            assertThat(dealRow(name)).as("one by one %s", types(order))
                    .containsExactly("crm:TX-7 approved", "false", T.plusSeconds(20).toString(), T.toString());
        }
    }

    @Test
    void aDeletedDealLeavesTheLedger() throws Exception {
        store().apply(EventSamples.deposit("sim", 1000001, 50001, "250.00", ""));
        Mt5Event second = EventSamples.deposit("sim", 1000002, 50001, "100.00", "");
        store().apply(second);
        store().apply(Mt5Event.ofDeal("sim", EventType.DEAL_DELETED, 50001, "real\\usd", T.plusSeconds(3600),
                second.deal()));

        assertThat(decimal("SELECT SUM(profit) FROM crm_deal WHERE login = 50001 AND NOT deleted"))
                .isEqualByComparingTo("250.00");
        assertThat(count("SELECT COUNT(*) FROM crm_deal WHERE deleted")).isEqualTo(1);
    }

    @Test
    void anOlderAccountUpdateNeverOverwritesANewerOne() throws Exception {
        store().apply(EventSamples.account("sim", 50001, "300.00", T.plusSeconds(20)));
        store().apply(EventSamples.account("sim", 50001, "100.00", T.plusSeconds(10)));

        assertThat(decimal("SELECT balance FROM crm_account WHERE login = 50001")).isEqualByComparingTo("300.00");

        store().apply(EventSamples.account("sim", 50001, "450.00", T.plusSeconds(30)));
        assertThat(decimal("SELECT balance FROM crm_account WHERE login = 50001")).isEqualByComparingTo("450.00");
    }

    @Test
    void aClosedPositionStaysClosedWhateverArrivesLate() throws Exception {
        store().apply(EventSamples.position("sim", EventType.POSITION_DELETED, 5000001, 50001, "1.00", "12.00",
                T.plusSeconds(30)));
        store().apply(EventSamples.position("sim", EventType.POSITION_UPDATED, 5000001, 50001, "1.00", "5.00",
                T.plusSeconds(20)));
        store().apply(EventSamples.position("sim", EventType.POSITION_ADDED, 5000001, 50001, "1.00", "0.00", T));

        assertThat(count("SELECT COUNT(*) FROM crm_position WHERE closed = TRUE")).isEqualTo(1);
        assertThat(decimal("SELECT profit FROM crm_position")).isEqualByComparingTo("12.00");
    }

    @Test
    void aBatchIsAppliedInOneTransactionAndAgainChangesNothing() throws Exception {
        List<Mt5Event> batch = mixedBatch("b", 200);
        CrmEventStore store = store();
        store.setIdempotencyKeys("crm-store");
        assertThat(store.applyAll(batch)).isEmpty();
        var once = queries().snapshot();

        assertThat(store.applyAll(batch)).isEmpty();
        List<Mt5Event> shuffled = new ArrayList<>(batch);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(store().applyAll(shuffled)).isEmpty();

        assertThat(queries().snapshot()).isEqualTo(once);
        assertThat(count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE processorName = 'crm-store'"))
                .isEqualTo(batch.size());
    }

    /**
     * A batch where many rows change several times, in a shuffled order and more rows than one statement writes,
     * leaves exactly the rows that the same events applied one by one leave.
     */
    @Test
    void aBatchWithSeveralChangesPerRowLeavesWhatOneByOneLeaves() throws Exception {
        Random random = new Random(12);
        List<Mt5Event> events = new ArrayList<>();
        for (int n = 0; n < 150; n++) {
            long ticket = 7_000_000 + n;
            for (int v = random.nextInt(4); v >= 0; v--) {
                EventType type = v == 3 ? EventType.POSITION_DELETED : EventType.POSITION_UPDATED;
                events.add(EventSamples.position("x", type, ticket, 70000 + n % 20, "1", Integer.toString(v),
                        T.plusSeconds(2 * v + random.nextInt(2))));
            }
        }
        for (int n = 0; n < 80; n++) {
            for (int v = random.nextInt(3); v >= 0; v--) {
                events.add(EventSamples.account("x", 80000 + n, Integer.toString(100 + v), T.plusSeconds(v)));
            }
        }
        for (int n = 0; n < 70; n++) {
            Deal d = EventSamples.deposit("x", 9_000_000 + n, 90000, "5.00", "").deal();
            for (int v = random.nextInt(3); v >= 0; v--) {
                EventType type = v == 0 ? EventType.DEAL_ADDED : v == 1 ? EventType.DEAL_UPDATED : EventType.DEAL_DELETED;
                Deal changed = new Deal(d.ticket(), d.order(), d.positionId(), d.action(), d.entry(), d.reason(),
                        d.symbol(), d.volume(), d.price(), d.profit(), d.commission(), d.swap(), d.fee(), "v" + v);
                events.add(Mt5Event.ofDeal("x", type, 90000, "real\\usd", T.plusSeconds(v), changed));
            }
        }
        Collections.shuffle(events, random);

        for (Mt5Event event : events) {
            store().apply(event);
        }
        var oneByOne = queries().snapshot();
        for (String table : List.of("crm_deal", "crm_account", "crm_position")) {
            try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM " + table);
            }
        }
        assertThat(store().applyAll(events)).isEmpty();

        assertThat(queries().snapshot()).isEqualTo(oneByOne);
    }

    @Test
    void aPoisonEventIsRejectedAloneWithItsReasonAndTheRestApplied() throws Exception {
        List<Mt5Event> batch = new ArrayList<>(mixedBatch("poison", 50));
        Mt5Event tooLong = EventSamples.deposit("poison", 1_999_999, 50001, "1", "x").withClientId("C".repeat(65));
        batch.add(20, tooLong);

        CrmEventStore store = store();
        store.setIdempotencyKeys("crm-store");
        Map<String, String> refused = store.applyAll(batch);

        assertThat(refused).containsOnlyKeys(tooLong.eventId());
        assertThat(refused.get(tooLong.eventId())).as("the database's own answer").containsIgnoringCase("too long");
        assertThat(count("SELECT COUNT(*) FROM crm_deal WHERE server = 'poison'")).isEqualTo(50 / 3 + 1);
        assertThat(count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId = '" + tooLong.eventId() + "'"))
                .as("no key kept for the refused event").isZero();
        assertThat(count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED")).as("a key for each event applied").isEqualTo(50);
        assertThatThrownBy(() -> store.apply(tooLong)).isInstanceOf(RejectedEventsException.class);
    }

    @Test
    void byDefaultNoKeysAreKeptAndTheWritesAloneKeepTheStoreRight() throws Exception {
        CrmEventStore store = store();
        List<Mt5Event> batch = mixedBatch("nokeys", 60);
        store.applyAll(batch);
        var once = queries().snapshot();
        store.applyAll(batch);

        assertThat(queries().snapshot()).isEqualTo(once);
        assertThat(count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED")).isZero();
    }

    /** Four appliers, each with every event in its own order and its own batches: the newest state, one row each. */
    @Test
    void concurrentAppliersOfTheSameEventsLeaveOneRowPerRecordAndTheNewestState() throws Exception {
        List<Mt5Event> events = new ArrayList<>(mixedBatch("c", 300));
        for (int v = 1; v <= 20; v++) {
            events.add(EventSamples.account("c", 60001, Integer.toString(100 * v), T.plusSeconds(v)));
            events.add(EventSamples.position("c", v == 20 ? EventType.POSITION_DELETED : EventType.POSITION_UPDATED,
                    6_000_001, 60001, "1", Integer.toString(v), T.plusSeconds(v)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<Map<String, String>>> appliers = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            List<Mt5Event> mine = new ArrayList<>(events);
            Collections.shuffle(mine, new Random(a));
            CrmEventStore store = store();
            int batch = 1 + 40 * a;
            appliers.add(() -> {
                for (int from = 0; from < mine.size(); from += batch) {
                    Map<String, String> refused = store.applyAll(mine.subList(from, Math.min(mine.size(), from + batch)));
                    assertThat(refused).isEmpty();
                }
                return Map.of();
            });
        }
        for (Future<Map<String, String>> f : pool.invokeAll(appliers)) {
            f.get();
        }
        pool.shutdown();

        assertThat(count("SELECT COUNT(*) FROM crm_deal WHERE server = 'c'")).isEqualTo(100);
        assertThat(decimal("SELECT balance FROM crm_account WHERE server = 'c' AND login = 60001"))
                .isEqualByComparingTo("2000");
        assertThat(count("SELECT COUNT(*) FROM crm_position WHERE server = 'c' AND ticket = 6000001 AND closed"
                + " AND profit = 20")).isEqualTo(1);
    }

    /** Deals, accounts and positions: every third event a deposit, the rest account and position changes. */
    private static List<Mt5Event> mixedBatch(String server, int size) {
        List<Mt5Event> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(switch (i % 3) {
                case 0 -> EventSamples.deposit(server, 1_000_000 + i, 50001 + i % 7, "10.00", "d" + i);
                case 1 -> EventSamples.account(server, 50001 + i % 7, Integer.toString(i), T.plusSeconds(i));
                default -> EventSamples.position(server, EventType.POSITION_UPDATED, 5_000_000 + i % 5, 50001, "1",
                        Integer.toString(i), T.plusSeconds(i));
            });
        }
        return events;
    }

    private void applyAs(String server, List<Mt5Event> events, boolean batched) throws Exception {
        List<Mt5Event> renamed = events.stream().map(e -> Mt5Event.ofDeal(server, e.type(), e.login(), e.group(),
                e.occurredAt(), e.deal())).toList();
        CrmEventStore store = store();
        if (batched) {
            assertThat(store.applyAll(renamed)).isEmpty();
        } else {
            for (Mt5Event e : renamed) {
                store.apply(e);
            }
        }
    }

    private static Mt5Event deal(EventType type, Instant at, String comment) {
        Deal d = EventSamples.deposit("sim", TICKET, 50001, "250.00", comment).deal();
        return Mt5Event.ofDeal("sim", type, 50001, "real\\usd", at, d);
    }

    private static List<String> types(List<Mt5Event> events) {
        return events.stream().map(e -> e.type() + "@" + e.occurredAt().getEpochSecond() % 100).toList();
    }

    private List<String> dealRow(String server) throws Exception {
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT comment, deleted, version, occurred_at FROM crm_deal WHERE server = '"
                     + server + "'")) {
            List<String> row = new ArrayList<>();
            while (rs.next()) {
                row.addAll(List.of(rs.getString(1), Boolean.toString(rs.getBoolean(2)),
                        rs.getTimestamp(3).toInstant().toString(), rs.getTimestamp(4).toInstant().toString()));
            }
            return row;
        }
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<T>> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T first = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                all.add(p);
            }
        }
        return all;
    }

    private List<String> row(String sql) {
        return queries().rows(sql).get(0).stream().map(String::valueOf).toList();
    }

    private long count(String sql) {
        return queries().count(sql);
    }

    private StoreQueries queries() {
        return new StoreQueries(db().dataSource());
    }

    private BigDecimal decimal(String sql) throws Exception {
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }
}

package io.mt5crmhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mt5crmhub.crm.CrmEventStore;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.pipeline.HubMessageIdRepository;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL as the production store: the same migrations, and 8 concurrent consumers fed the same events through
 * the idempotent repository and the CRM sink leave exactly one row per deal and the newest state of the rest.
 */
class PostgresStoreIT {

    private static final int CONSUMERS = 8;
    private PostgresTestDatabase postgres;
    private HubDatabase db;

    @BeforeEach
    void open() throws Exception {
        postgres = new PostgresTestDatabase();
        db = TestDatabases.postgres(postgres.url(), CONSUMERS + 2);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
        postgres.close();
    }

    @Test
    void theMigrationsCreateTheSameSchemaOnPostgres() throws Exception {
        assertThat(db.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
        for (String table : List.of("hub_login_map", "camel_messageprocessed", "hub_checkpoint", "hub_dead_letter",
                "crm_deal", "crm_account", "crm_position")) {
            assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
        }
        // opening again finds the schema current and changes nothing
        TestDatabases.postgres(postgres.url(), 1).close();
    }

    @Test
    void eightConcurrentConsumersOfTheSameEventsLeaveOneRowPerDealAndTheNewestState() throws Exception {
        List<Mt5Event> events = new ArrayList<>();
        for (long t = 1; t <= 300; t++) {
            events.add(EventSamples.deposit("pg", 1_000_000 + t, 50001 + t % 5, "10.00", "d" + t));
        }
        for (int v = 1; v <= 20; v++) {
            events.add(EventSamples.account("pg", 50001, Integer.toString(100 * v), EventSamples.T0.plusSeconds(v)));
            events.add(EventSamples.position("pg", v == 20 ? EventType.POSITION_DELETED : EventType.POSITION_UPDATED,
                    5_000_001, 50001, "1", Integer.toString(v), EventSamples.T0.plusSeconds(v)));
        }
        HubMessageIdRepository idempotency = new HubMessageIdRepository(db.dataSource(), db.dialect(), "pg-test");
        idempotency.start();
        CrmEventStore store = new CrmEventStore(db.dataSource());
        ExecutorService pool = Executors.newFixedThreadPool(CONSUMERS);
        List<Callable<Integer>> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            List<Mt5Event> mine = new ArrayList<>(events);
            Collections.shuffle(mine, new Random(c)); // every consumer sees every event, in its own order
            consumers.add(() -> {
                int applied = 0;
                for (Mt5Event event : mine) {
                    if (idempotency.add(event.eventId())) {
                        store.apply(event);
                        applied++;
                    }
                }
                return applied;
            });
        }
        int applied = 0;
        for (Future<Integer> f : pool.invokeAll(consumers)) {
            applied += f.get();
        }
        pool.shutdown();
        idempotency.stop();

        assertThat(applied).as("each event passes the idempotent repository once").isEqualTo(events.size());
        assertThat(count("SELECT COUNT(*) FROM crm_deal")).isEqualTo(300);
        assertThat(count("SELECT COUNT(DISTINCT ticket) FROM crm_deal")).isEqualTo(300);
        assertThat(count("SELECT balance FROM crm_account WHERE login = 50001")).isEqualTo(2000);
        assertThat(count("SELECT COUNT(*) FROM crm_position WHERE closed AND profit = 20")).isEqualTo(1);
    }

    @Test
    void theSameEventsAppliedAgainChangeNothing() throws Exception {
        CrmEventStore store = new CrmEventStore(db.dataSource());
        List<Mt5Event> events = List.of(EventSamples.deposit("pg", 7, 50001, "5", ""),
                EventSamples.account("pg", 50001, "5", EventSamples.T0),
                EventSamples.position("pg", EventType.POSITION_ADDED, 9, 50001, "1", "0", EventSamples.T0));
        for (Mt5Event e : events) {
            store.apply(e);
        }
        String snapshot = snapshot();
        for (Mt5Event e : events) {
            store.apply(e);
        }

        assertThat(snapshot()).isEqualTo(snapshot);
    }

    private String snapshot() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String sql : List.of("SELECT * FROM crm_deal ORDER BY ticket", "SELECT * FROM crm_account ORDER BY login",
                "SELECT * FROM crm_position ORDER BY ticket")) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        all.append(rs.getString(i)).append('|');
                    }
                    all.append('\n');
                }
            }
        }
        return all.toString();
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

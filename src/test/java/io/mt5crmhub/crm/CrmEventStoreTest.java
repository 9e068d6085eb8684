package io.mt5crmhub.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrmEventStoreTest {

    private static final Instant T = EventSamples.T0;
    private HubDatabase db;
    private CrmEventStore store;

    @BeforeEach
    void open() {
        db = TestDatabases.h2InMemory(4);
        store = new CrmEventStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aDealAppliedTwiceIsOneRow() throws Exception {
        Mt5Event deposit = EventSamples.deposit("sim", 1000001, 50001, "250.00", "crm:TX-1").withClientId("C-1");

        store.apply(deposit);
        store.apply(deposit);

        assertThat(count("SELECT COUNT(*) FROM crm_deal")).isEqualTo(1);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT client_id, action, profit, comment FROM crm_deal")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("C-1");
            assertThat(rs.getString(2)).isEqualTo("BALANCE");
            assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("250.00");
            assertThat(rs.getString(4)).isEqualTo("crm:TX-1");
        }
    }

    @Test
    void aDealUpdateChangesTheRowAndADeleteRemovesIt() throws Exception {
        Mt5Event deposit = EventSamples.deposit("sim", 1000002, 50001, "250.00", "crm:TX-2");
        store.apply(deposit);
        io.mt5crmhub.event.Deal edited = new io.mt5crmhub.event.Deal(1000002, 0, 0, deposit.deal().action(),
                deposit.deal().entry(), deposit.deal().reason(), "", BigDecimal.ZERO, BigDecimal.ZERO,
                new BigDecimal("250.00"), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, "crm:TX-2 checked");
        store.apply(Mt5Event.ofDeal("sim", EventType.DEAL_UPDATED, 50001, "real\\usd", T.plusSeconds(3600), edited));

        assertThat(count("SELECT COUNT(*) FROM crm_deal WHERE comment = 'crm:TX-2 checked'")).isEqualTo(1);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT occurred_at FROM crm_deal")) {
            rs.next();
            assertThat(rs.getTimestamp(1).toInstant()).as("an MT5 deal keeps its time").isEqualTo(deposit.occurredAt());
        }

        store.apply(Mt5Event.ofDeal("sim", EventType.DEAL_DELETED, 50001, "real\\usd", T.plusSeconds(7200), edited));
        assertThat(count("SELECT COUNT(*) FROM crm_deal")).isZero();
    }

    @Test
    void anOlderAccountUpdateNeverOverwritesANewerOne() throws Exception {
        store.apply(EventSamples.account("sim", 50001, "300.00", T.plusSeconds(20)));
        store.apply(EventSamples.account("sim", 50001, "100.00", T.plusSeconds(10)));

        assertThat(decimal("SELECT balance FROM crm_account WHERE login = 50001")).isEqualByComparingTo("300.00");

        store.apply(EventSamples.account("sim", 50001, "450.00", T.plusSeconds(30)));
        assertThat(decimal("SELECT balance FROM crm_account WHERE login = 50001")).isEqualByComparingTo("450.00");
    }

    @Test
    void aClosedPositionStaysClosedWhateverArrivesLate() throws Exception {
        store.apply(EventSamples.position("sim", EventType.POSITION_DELETED, 5000001, 50001, "1.00", "12.00",
                T.plusSeconds(30)));
        store.apply(EventSamples.position("sim", EventType.POSITION_UPDATED, 5000001, 50001, "1.00", "5.00",
                T.plusSeconds(20)));
        store.apply(EventSamples.position("sim", EventType.POSITION_ADDED, 5000001, 50001, "1.00", "0.00", T));

        assertThat(count("SELECT COUNT(*) FROM crm_position WHERE closed = TRUE")).isEqualTo(1);
        assertThat(decimal("SELECT profit FROM crm_position")).isEqualByComparingTo("12.00");
    }

    @Test
    void positionUpdatesInOrderLandInOrder() throws Exception {
        store.apply(EventSamples.position("sim", EventType.POSITION_ADDED, 5000002, 50001, "1.00", "0.00", T));
        store.apply(EventSamples.position("sim", EventType.POSITION_UPDATED, 5000002, 50001, "0.50", "3.00",
                T.plusSeconds(1)));

        assertThat(decimal("SELECT volume FROM crm_position")).isEqualByComparingTo(new BigDecimal("0.50"));
        assertThat(count("SELECT COUNT(*) FROM crm_position WHERE closed = FALSE")).isEqualTo(1);
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private BigDecimal decimal(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }
}

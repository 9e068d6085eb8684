package io.mt5crmhub.crm;

import static io.mt5crmhub.store.NullableParameters.setDecimal;
import static io.mt5crmhub.store.NullableParameters.setInstant;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

import javax.sql.DataSource;

import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.ChangeType;
import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.store.JdbcInserts;
import io.mt5crmhub.store.SqlDialect;
import org.apache.camel.Body;

/**
 * Applies MT5 events to a CRM database with the {@code crm_*} tables (the embedded store, or a broker's own
 * database with the same tables). Every apply is idempotent and order-safe:
 * <ul>
 * <li>a deal is keyed by (server, ticket): applying it twice leaves one row;</li>
 * <li>accounts and positions are versioned by MT5's update time: an update only lands when it is newer than
 * the stored row, so a late older update (or a duplicate) changes nothing. A deleted position is kept with
 * {@code closed = true} at its closing version, so nothing older can reopen it.</li>
 * </ul>
 * Each statement runs in autocommit; the row-level compare makes concurrent appliers safe.
 */
public class CrmEventStore {

    /** The deal's values, in the order {@link #bindDealValues} binds them; the key comes last. */
    private static final String DEAL_VALUES = "login, client_id, action, entry, reason, symbol, volume, price,"
            + " profit, commission, swap, fee, comment, position_id, order_ticket, event_id";
    private static final String INSERT_DEAL = "INSERT INTO crm_deal (" + DEAL_VALUES + ", occurred_at, server, ticket)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_DEAL = "UPDATE crm_deal SET (" + DEAL_VALUES + ") ="
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE server = ? AND ticket = ?";
    private static final String DELETE_DEAL = "DELETE FROM crm_deal WHERE server = ? AND ticket = ?";

    private static final String POSITION_VALUES = "login = ?, client_id = ?, symbol = ?, action = ?, volume = ?,"
            + " price_open = ?, price_current = ?, price_sl = ?, price_tp = ?, profit = ?, swap = ?, comment = ?,"
            + " opened_at = ?, updated_at = ?, closed = ?, closed_at = ?";
    private static final String UPDATE_POSITION = "UPDATE crm_position SET " + POSITION_VALUES
            + " WHERE server = ? AND ticket = ? AND updated_at < ?";
    private static final String INSERT_POSITION = "INSERT INTO crm_position (login, client_id, symbol, action,"
            + " volume, price_open, price_current, price_sl, price_tp, profit, swap, comment, opened_at, updated_at,"
            + " closed, closed_at, server, ticket) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String ACCOUNT_VALUES = "client_id = ?, group_name = ?, name = ?, email = ?, leverage = ?,"
            + " currency = ?, balance = ?, credit = ?, agent = ?, registered_at = ?, updated_at = ?, deleted = ?";
    private static final String UPDATE_ACCOUNT = "UPDATE crm_account SET " + ACCOUNT_VALUES
            + " WHERE server = ? AND login = ? AND updated_at < ?";
    private static final String INSERT_ACCOUNT = "INSERT INTO crm_account (client_id, group_name, name, email,"
            + " leverage, currency, balance, credit, agent, registered_at, updated_at, deleted, server, login)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private DataSource dataSource;
    private volatile SqlDialect dialect;

    public CrmEventStore() {
    }

    public CrmEventStore(DataSource dataSource) {
        setDataSource(dataSource);
    }

    /** The CRM database; set once before use (the crm-jdbc-sink connector sets it from its parameter). */
    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
        this.dialect = null;
    }

    private SqlDialect dialect() {
        SqlDialect d = dialect;
        if (d == null) {
            d = SqlDialect.of(dataSource);
            dialect = d;
        }
        return d;
    }

    /** Applies one event; safe to call again with the same or an older event. */
    public void apply(@Body Mt5Event event) throws SQLException {
        if (dataSource == null) {
            throw new IllegalStateException("the CRM store has no data source");
        }
        try (Connection c = dataSource.getConnection()) {
            switch (event.entity()) {
                case DEAL -> applyDeal(c, event);
                case POSITION -> applyPosition(c, event);
                case ACCOUNT -> applyAccount(c, event);
                case ORDER -> throw new IllegalArgumentException(
                        "the CRM store keeps no orders; route order events elsewhere: " + event.eventId());
            }
        }
    }

    private void applyDeal(Connection c, Mt5Event event) throws SQLException {
        Deal d = event.deal();
        if (event.type().change() == ChangeType.DELETED) {
            try (PreparedStatement ps = c.prepareStatement(DELETE_DEAL)) {
                ps.setString(1, event.server());
                ps.setLong(2, d.ticket());
                ps.executeUpdate();
            }
            return;
        }
        boolean inserted;
        try (PreparedStatement ps = c.prepareStatement(dialect().insertIfAbsent(INSERT_DEAL))) {
            int i = bindDealValues(ps, event);
            ps.setTimestamp(++i, Timestamp.from(event.occurredAt()));
            ps.setString(++i, event.server());
            ps.setLong(++i, d.ticket());
            inserted = JdbcInserts.insertIfAbsent(ps);
        }
        if (!inserted && event.type().change() == ChangeType.UPDATED) {
            // an update keeps the deal's original occurred_at: MT5 deal times do not change
            try (PreparedStatement ps = c.prepareStatement(UPDATE_DEAL)) {
                int i = bindDealValues(ps, event);
                ps.setString(++i, event.server());
                ps.setLong(++i, d.ticket());
                ps.executeUpdate();
            }
        }
    }

    private static int bindDealValues(PreparedStatement ps, Mt5Event event) throws SQLException {
        Deal d = event.deal();
        int i = 0;
        ps.setLong(++i, event.login());
        ps.setString(++i, event.clientId());
        ps.setString(++i, d.action().name());
        ps.setString(++i, d.entry().name());
        ps.setString(++i, d.reason().name());
        ps.setString(++i, d.symbol());
        ps.setBigDecimal(++i, d.volume());
        ps.setBigDecimal(++i, d.price());
        ps.setBigDecimal(++i, d.profit());
        ps.setBigDecimal(++i, d.commission());
        ps.setBigDecimal(++i, d.swap());
        ps.setBigDecimal(++i, d.fee());
        ps.setString(++i, d.comment());
        ps.setLong(++i, d.positionId());
        ps.setLong(++i, d.order());
        ps.setString(++i, event.eventId());
        return i;
    }

    private void applyPosition(Connection c, Mt5Event event) throws SQLException {
        Position p = event.position();
        boolean closed = event.type().change() == ChangeType.DELETED;
        Timestamp version = Timestamp.from(p.updatedAt());
        VersionedRow row = ps -> {
            int i = 0;
            ps.setLong(++i, event.login());
            ps.setString(++i, event.clientId());
            ps.setString(++i, p.symbol());
            ps.setString(++i, p.action().name());
            ps.setBigDecimal(++i, p.volume());
            setDecimal(ps, ++i, p.priceOpen());
            setDecimal(ps, ++i, p.priceCurrent());
            setDecimal(ps, ++i, p.priceSl());
            setDecimal(ps, ++i, p.priceTp());
            setDecimal(ps, ++i, p.profit());
            setDecimal(ps, ++i, p.swap());
            ps.setString(++i, p.comment());
            setInstant(ps, ++i, p.openedAt());
            ps.setTimestamp(++i, version);
            ps.setBoolean(++i, closed);
            setInstant(ps, ++i, closed ? p.updatedAt() : null);
            ps.setString(++i, event.server());
            ps.setLong(++i, p.ticket());
            return i;
        };
        upsertIfNewer(c, UPDATE_POSITION, INSERT_POSITION, row, version);
    }

    private void applyAccount(Connection c, Mt5Event event) throws SQLException {
        Account a = event.account();
        boolean deleted = event.type().change() == ChangeType.DELETED;
        Timestamp version = Timestamp.from(a.updatedAt());
        VersionedRow row = ps -> {
            int i = 0;
            ps.setString(++i, event.clientId());
            ps.setString(++i, a.group());
            ps.setString(++i, a.name());
            ps.setString(++i, a.email());
            ps.setInt(++i, a.leverage());
            ps.setString(++i, a.currency());
            ps.setBigDecimal(++i, a.balance());
            ps.setBigDecimal(++i, a.credit());
            ps.setLong(++i, a.agent());
            setInstant(ps, ++i, a.registeredAt());
            ps.setTimestamp(++i, version);
            ps.setBoolean(++i, deleted);
            ps.setString(++i, event.server());
            ps.setLong(++i, event.login());
            return i;
        };
        upsertIfNewer(c, UPDATE_ACCOUNT, INSERT_ACCOUNT, row, version);
    }

    /**
     * Update when newer, else insert when absent; if a concurrent applier inserted first, try the newer-only
     * update once more. The three steps together leave the newest version whatever the interleaving.
     */
    private void upsertIfNewer(Connection c, String update, String insert, VersionedRow row, Timestamp version)
            throws SQLException {
        if (updateIfNewer(c, update, row, version)) {
            return;
        }
        boolean inserted;
        try (PreparedStatement ps = c.prepareStatement(dialect().insertIfAbsent(insert))) {
            row.bind(ps);
            inserted = JdbcInserts.insertIfAbsent(ps);
        }
        if (!inserted) {
            updateIfNewer(c, update, row, version);
        }
    }

    private static boolean updateIfNewer(Connection c, String update, VersionedRow row, Timestamp version)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(update)) {
            int last = row.bind(ps);
            ps.setTimestamp(last + 1, version);
            return ps.executeUpdate() > 0;
        }
    }



    /** Binds a row's values (key last) and returns the last parameter index used. */
    @FunctionalInterface
    private interface VersionedRow {
        int bind(PreparedStatement ps) throws SQLException;
    }
}

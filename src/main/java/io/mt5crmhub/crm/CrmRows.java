package io.mt5crmhub.crm;

import static io.mt5crmhub.store.NullableParameters.setDecimal;
import static io.mt5crmhub.store.NullableParameters.setInstant;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import io.mt5crmhub.crm.VersionedUpsert.Column;
import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.ChangeType;
import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;

/**
 * The three {@code crm_*} tables as versioned rows: which statement writes an entity, and how an event binds to it.
 * <ul>
 * <li>{@code crm_deal}, keyed by (server, ticket), versioned by the time of the change the event tells (the deal's
 * time for {@code deal.added}, the update's time for {@code deal.updated}); {@code deal.deleted} leaves a tombstone
 * ({@code deleted = TRUE}). {@code occurred_at} keeps the earliest time its events brought: the deal's own time once
 * its add has arrived.</li>
 * <li>{@code crm_position}, keyed by (server, ticket), versioned by MT5's update time; {@code position.deleted} is
 * the closing version with {@code closed = TRUE}, so nothing older reopens it.</li>
 * <li>{@code crm_account}, keyed by (server, login), versioned by MT5's update time; {@code account.deleted} sets
 * {@code deleted = TRUE} at its version.</li>
 * </ul>
 */
enum CrmRows {

    DEAL(new VersionedUpsert("crm_deal", key("ticket"),
            columns("login BIGINT", "client_id VARCHAR", "action VARCHAR", "entry VARCHAR", "reason VARCHAR",
                    "symbol VARCHAR", "volume NUMERIC(24,8)", "price NUMERIC(24,8)", "profit NUMERIC(24,8)",
                    "commission NUMERIC(24,8)", "swap NUMERIC(24,8)", "fee NUMERIC(24,8)", "comment VARCHAR",
                    "position_id BIGINT", "order_ticket BIGINT", "event_id VARCHAR"),
            columns("occurred_at TIMESTAMP WITH TIME ZONE"), column("version TIMESTAMP WITH TIME ZONE"),
            column("deleted BOOLEAN"))) {
        @Override
        void bind(PreparedStatement ps, int offset, Mt5Event event) throws SQLException {
            Deal d = event.deal();
            int i = offset;
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
            Timestamp time = Timestamp.from(event.occurredAt());
            ps.setTimestamp(++i, time);
            ps.setTimestamp(++i, time);
            ps.setBoolean(++i, event.type().change() == ChangeType.DELETED);
            ps.setString(++i, event.server());
            ps.setLong(++i, d.ticket());
        }
    },

    POSITION(new VersionedUpsert("crm_position", key("ticket"),
            columns("login BIGINT", "client_id VARCHAR", "symbol VARCHAR", "action VARCHAR", "volume NUMERIC(24,8)",
                    "price_open NUMERIC(24,8)", "price_current NUMERIC(24,8)", "price_sl NUMERIC(24,8)",
                    "price_tp NUMERIC(24,8)", "profit NUMERIC(24,8)", "swap NUMERIC(24,8)", "comment VARCHAR",
                    "opened_at TIMESTAMP WITH TIME ZONE", "closed BOOLEAN", "closed_at TIMESTAMP WITH TIME ZONE"),
            List.of(), column("updated_at TIMESTAMP WITH TIME ZONE"), null)) {
        @Override
        void bind(PreparedStatement ps, int offset, Mt5Event event) throws SQLException {
            Position p = event.position();
            boolean closed = event.type().change() == ChangeType.DELETED;
            int i = offset;
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
            ps.setBoolean(++i, closed);
            setInstant(ps, ++i, closed ? p.updatedAt() : null);
            ps.setTimestamp(++i, Timestamp.from(p.updatedAt()));
            ps.setString(++i, event.server());
            ps.setLong(++i, p.ticket());
        }
    },

    ACCOUNT(new VersionedUpsert("crm_account", key("login"),
            columns("client_id VARCHAR", "group_name VARCHAR", "name VARCHAR", "email VARCHAR", "leverage INTEGER",
                    "currency VARCHAR", "balance NUMERIC(24,8)", "credit NUMERIC(24,8)", "agent BIGINT",
                    "registered_at TIMESTAMP WITH TIME ZONE", "deleted BOOLEAN"),
            List.of(), column("updated_at TIMESTAMP WITH TIME ZONE"), null)) {
        @Override
        void bind(PreparedStatement ps, int offset, Mt5Event event) throws SQLException {
            Account a = event.account();
            int i = offset;
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
            ps.setBoolean(++i, event.type().change() == ChangeType.DELETED);
            ps.setTimestamp(++i, Timestamp.from(a.updatedAt()));
            ps.setString(++i, event.server());
            ps.setLong(++i, event.login());
        }
    };

    private final VersionedUpsert upsert;

    CrmRows(VersionedUpsert upsert) {
        this.upsert = upsert;
    }

    /** The table that keeps this entity; the CRM store keeps no orders. */
    static CrmRows of(EntityType entity) {
        return switch (entity) {
            case DEAL -> DEAL;
            case POSITION -> POSITION;
            case ACCOUNT -> ACCOUNT;
            case ORDER -> throw new IllegalArgumentException("the CRM store keeps no orders; route order events"
                    + " elsewhere");
        };
    }

    VersionedUpsert upsert() {
        return upsert;
    }

    /**
     * Binds every parameter of one row of {@link #upsert()} from the event, after the first {@code offset}
     * parameters (the rows before it in a statement of several rows).
     */
    abstract void bind(PreparedStatement ps, int offset, Mt5Event event) throws SQLException;

    private static List<Column> key(String identity) {
        return List.of(new Column("server", "VARCHAR"), new Column(identity, "BIGINT"));
    }

    private static Column column(String nameAndType) {
        int space = nameAndType.indexOf(' ');
        return new Column(nameAndType.substring(0, space), nameAndType.substring(space + 1));
    }

    private static List<Column> columns(String... namesAndTypes) {
        List<Column> columns = new ArrayList<>(namesAndTypes.length);
        for (String c : namesAndTypes) {
            columns.add(column(c));
        }
        return columns;
    }
}

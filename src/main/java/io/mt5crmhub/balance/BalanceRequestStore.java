package io.mt5crmhub.balance;

import static io.mt5crmhub.store.NullableParameters.setInt;
import static io.mt5crmhub.store.NullableParameters.setLong;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.store.JdbcInserts;
import io.mt5crmhub.store.ServerLeases;
import io.mt5crmhub.store.SqlDialect;

/**
 * The balance operations in {@code hub_balance_operation}. Every state change is one conditional UPDATE in
 * autocommit ({@code ... WHERE state IN (...)}), so the row, not the caller, decides which transition wins: only
 * one caller can move a request from RECEIVED to SENT, and therefore only one calls MT5, across threads and hub
 * processes sharing the database. Each is on file before it returns ({@link SqlDialect#makeDurable}): what it
 * answers is acknowledged to the CRM or decides whether MT5 is called.
 */
public class BalanceRequestStore {

    private static final String COLUMNS = "crm_txn_id, server, login, op_type, amount, crm_comment, mt5_action,"
            + " mt5_amount, reference, request_hash, state, deal_ticket, retcode, reason, created_at, sent_at,"
            + " updated_at";
    private static final String INSERT = "INSERT INTO hub_balance_operation (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM hub_balance_operation";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final Clock clock;
    private final ServerLeases leases;

    public BalanceRequestStore(DataSource dataSource, SqlDialect dialect, Clock clock) {
        this(dataSource, dialect, clock, ServerLeases.unfenced());
    }

    /**
     * @param leases fences the transitions only the owner of the request's MT5 server makes (sending, MT5's answer,
     *               the confirmation): with several hub instances, a deposed owner can neither send nor settle a request
     */
    public BalanceRequestStore(DataSource dataSource, SqlDialect dialect, Clock clock, ServerLeases leases) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.clock = clock;
        this.leases = leases;
    }

    /** Stores a new request; false when its crmTxnId (or its reference on that server) is already stored. */
    public boolean insertIfAbsent(BalanceOperation op) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(dialect.insertIfAbsent(INSERT))) {
            int i = 0;
            ps.setString(++i, op.crmTxnId());
            ps.setString(++i, op.server());
            ps.setLong(++i, op.login());
            ps.setString(++i, op.type().name());
            ps.setBigDecimal(++i, op.amount());
            ps.setString(++i, op.comment());
            ps.setString(++i, op.mt5Action().name());
            ps.setBigDecimal(++i, op.mt5Amount());
            ps.setString(++i, op.reference());
            ps.setString(++i, op.requestHash());
            ps.setString(++i, op.state().name());
            setLong(ps, ++i, op.dealTicket());
            setInt(ps, ++i, op.retcode());
            ps.setString(++i, op.reason());
            ps.setTimestamp(++i, Timestamp.from(op.createdAt()));
            ps.setTimestamp(++i, op.sentAt() == null ? null : Timestamp.from(op.sentAt()));
            ps.setTimestamp(++i, Timestamp.from(op.updatedAt()));
            boolean inserted = JdbcInserts.insertIfAbsent(ps);
            if (inserted) {
                dialect.makeDurable(c);
            }
            return inserted;
        }
    }

    public Optional<BalanceOperation> find(String crmTxnId) throws SQLException {
        return one(SELECT + " WHERE crm_txn_id = ?", crmTxnId);
    }

    public Optional<BalanceOperation> findByReference(String server, String reference) throws SQLException {
        return one(SELECT + " WHERE server = ? AND reference = ?", server, reference);
    }

    /** RECEIVED to SENT, committed before MT5 is called; false when another caller got there first. */
    public boolean markSent(String crmTxnId) throws SQLException {
        Instant now = clock.instant();
        return ownerUpdate(crmTxnId, "UPDATE hub_balance_operation SET state = 'SENT', sent_at = ?, updated_at = ?"
                + " WHERE crm_txn_id = ? AND state = 'RECEIVED'", Timestamp.from(now), Timestamp.from(now), crmTxnId);
    }

    /** MT5 answered "done" with the deal's ticket: kept while the request waits for the deal to come back. */
    public boolean recordAnswer(String crmTxnId, long dealTicket, int retcode) throws SQLException {
        // the deal may have come back (CONFIRMED) before the answer did
        return ownerUpdate(crmTxnId, "UPDATE hub_balance_operation SET deal_ticket = COALESCE(deal_ticket, ?), retcode = ?,"
                + " updated_at = ? WHERE crm_txn_id = ? AND state IN ('SENT', 'CONFIRMED')",
                dealTicket, retcode, now(), crmTxnId);
    }

    /** The deal exists on MT5: SENT or UNKNOWN to CONFIRMED with its ticket (MT5's code is then "done"). */
    public boolean markConfirmed(String crmTxnId, long dealTicket, String reason) throws SQLException {
        return ownerUpdate(crmTxnId, "UPDATE hub_balance_operation SET state = 'CONFIRMED', deal_ticket = ?, retcode = ?,"
                + " reason = ?, updated_at = ? WHERE crm_txn_id = ? AND state IN ('SENT', 'UNKNOWN')",
                dealTicket, io.mt5crmhub.gateway.Mt5Retcode.REQUEST_DONE, clip(reason), now(), crmTxnId);
    }

    /** MT5 refused: SENT to REJECTED with its retcode and why. */
    public boolean markRejected(String crmTxnId, int retcode, String reason) throws SQLException {
        return ownerUpdate(crmTxnId, "UPDATE hub_balance_operation SET state = 'REJECTED', retcode = ?, reason = ?, updated_at = ?"
                + " WHERE crm_txn_id = ? AND state = 'SENT'", retcode, clip(reason), now(), crmTxnId);
    }

    /** The call's outcome is unknown: SENT to UNKNOWN, to be looked up on MT5, never re-sent. */
    public boolean markUnknown(String crmTxnId, Integer retcode, String reason) throws SQLException {
        return ownerUpdate(crmTxnId, "UPDATE hub_balance_operation SET state = 'UNKNOWN', retcode = ?, reason = ?, updated_at = ?"
                + " WHERE crm_txn_id = ? AND state = 'SENT'", retcode, clip(reason), now(), crmTxnId);
    }

    /** The call provably never reached MT5: SENT back to RECEIVED, with why, so that it is sent again later. */
    public boolean markNotSent(String crmTxnId, String reason) throws SQLException {
        return ownerUpdate(crmTxnId, "UPDATE hub_balance_operation SET state = 'RECEIVED', sent_at = NULL, reason = ?, updated_at = ?"
                + " WHERE crm_txn_id = ? AND state = 'SENT'", clip(reason), now(), crmTxnId);
    }

    /** An operator closed an UNKNOWN request no look-up found: REJECTED, with no MT5 retcode, and why. */
    public boolean markClosed(String crmTxnId, String reason) throws SQLException {
        return update("UPDATE hub_balance_operation SET state = 'REJECTED', retcode = NULL, reason = ?, updated_at = ?"
                + " WHERE crm_txn_id = ? AND state = 'UNKNOWN'", clip(reason), now(), crmTxnId);
    }

    /** Requests not CONFIRMED or REJECTED, oldest first. */
    public List<BalanceOperation> unresolved() throws SQLException {
        return many(SELECT + " WHERE state IN ('RECEIVED', 'SENT', 'UNKNOWN') ORDER BY created_at");
    }

    /** Requests not CONFIRMED or REJECTED created before {@code before}, oldest first. */
    public List<BalanceOperation> unresolvedSince(Instant before) throws SQLException {
        return many(SELECT + " WHERE state IN ('RECEIVED', 'SENT', 'UNKNOWN') AND created_at < ? ORDER BY created_at",
                Timestamp.from(before));
    }

    /** Final requests whose outcome event has not reached RabbitMQ yet, oldest first. */
    public List<BalanceOperation> unpublishedOutcomes(int limit) throws SQLException {
        return many(SELECT + " WHERE state IN ('CONFIRMED', 'REJECTED') AND outcome_published = FALSE"
                + " ORDER BY updated_at FETCH FIRST " + limit + " ROWS ONLY");
    }

    public void markPublished(String crmTxnId) throws SQLException {
        update("UPDATE hub_balance_operation SET outcome_published = TRUE WHERE crm_txn_id = ?", crmTxnId);
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    /** The operations by state; SENT ones sent before {@code sentBefore} also count as overdue. */
    public BalanceCounts counts(Instant sentBefore) throws SQLException {
        Map<BalanceState, Long> byState = new EnumMap<>(BalanceState.class);
        long overdue;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT state, COUNT(*) FROM hub_balance_operation GROUP BY state"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(BalanceState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM hub_balance_operation WHERE state = 'SENT' AND sent_at < ?")) {
                ps.setTimestamp(1, Timestamp.from(sentBefore));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    overdue = rs.getLong(1);
                }
            }
        }
        return new BalanceCounts(Map.copyOf(byState), overdue);
    }

    /** A transition of the owner of the request's server: fenced by that server's epoch, in one transaction. */
    private boolean ownerUpdate(String crmTxnId, String sql, Object... args) throws SQLException {
        if (!leases.isFenced()) {
            return update(sql, args);
        }
        try (Connection c = dataSource.getConnection()) {
            String server;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT server FROM hub_balance_operation WHERE crm_txn_id = ?")) {
                ps.setString(1, crmTxnId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    server = rs.getString(1);
                }
            }
            return leases.guarded(c, server, conn -> {
                try (PreparedStatement ps = conn.prepareStatement(sql)) {
                    bind(ps, args);
                    return ps.executeUpdate() > 0;
                }
            });
        }
    }

    private boolean update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            boolean changed = ps.executeUpdate() > 0;
            if (changed) {
                dialect.makeDurable(c);
            }
            return changed;
        }
    }

    private Optional<BalanceOperation> one(String sql, Object... args) throws SQLException {
        List<BalanceOperation> rows = many(sql, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<BalanceOperation> many(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<BalanceOperation> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(read(rs));
                }
                return rows;
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Timestamp t) {
                ps.setTimestamp(i + 1, t);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    private static BalanceOperation read(ResultSet rs) throws SQLException {
        long ticket = rs.getLong("deal_ticket");
        Long dealTicket = rs.wasNull() ? null : ticket;
        int code = rs.getInt("retcode");
        Integer retcode = rs.wasNull() ? null : code;
        Timestamp sent = rs.getTimestamp("sent_at");
        return new BalanceOperation(rs.getString("crm_txn_id"), rs.getString("server"), rs.getLong("login"),
                BalanceType.valueOf(rs.getString("op_type")), strip(rs.getBigDecimal("amount")),
                rs.getString("crm_comment"), DealAction.valueOf(rs.getString("mt5_action")),
                strip(rs.getBigDecimal("mt5_amount")), rs.getString("reference"), rs.getString("request_hash"),
                BalanceState.valueOf(rs.getString("state")), dealTicket, retcode, rs.getString("reason"),
                rs.getTimestamp("created_at").toInstant(), sent == null ? null : sent.toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    /** NUMERIC(24, 8) reads back as 250.00000000: show money with at least two decimals, no trailing zeros. */
    static BigDecimal strip(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 2 ? stripped.setScale(2) : stripped;
    }



    private static String clip(String reason) {
        return reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000);
    }
}

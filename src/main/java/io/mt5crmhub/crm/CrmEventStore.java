package io.mt5crmhub.crm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.pipeline.ExchangeEvents;
import io.mt5crmhub.pipeline.RejectedEventsException;
import io.mt5crmhub.store.DatabaseFailures;
import io.mt5crmhub.store.FencedException;
import io.mt5crmhub.store.ProcessedKeys;
import io.mt5crmhub.store.ServerLeases;
import io.mt5crmhub.store.SqlDialect;
import io.mt5crmhub.store.Transactions;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Applies MT5 events to a CRM database with the {@code crm_*} tables (the embedded store, or a broker's own
 * database with the same tables), a batch in one transaction: the ids of the events not applied before are
 * recorded in {@code CAMEL_MESSAGEPROCESSED}, the rows are written with one JDBC batch per table, and both commit
 * together, so a crash leaves neither or both. Every write is idempotent and order-safe by itself ({@link CrmRows}):
 * the same batch applied again, or its events in another order, leave the same rows.
 * <p>
 * Failures: a database that is away fails the whole batch, rolled back, for the route's outage policy to retry whole.
 * Any other failure of the batch is retried event by event, each in its own transaction, so one event the database
 * refuses (a value too long, a constraint) is rejected alone with its reason ({@link RejectedEventsException}) and
 * the others are applied.
 */
public class CrmEventStore implements Processor, CamelContextAware {

    private static final int ATTEMPTS_AFTER_A_RACE = 5;
    /** By row key (server, then ticket or login); the order of changes to one row does not matter. */
    private static final Comparator<Mt5Event> ROW_ORDER = Comparator.comparing(Mt5Event::server)
            .thenComparingLong(CrmEventStore::rowKey);
    /** The rows one statement writes, largest first; a handful of sizes keeps the statements few and cached. */
    private static final int[] ROWS_PER_STATEMENT = {64, 16, 4, 1};

    private DataSource dataSource;
    private CamelContext camelContext;
    /** The servers' fences, found in the registry on first use (the hub binds them); unfenced without. */
    private volatile ServerLeases leases;
    /**
     * None by default: every write is versioned and idempotent by itself, and keeping a key per event doubled the
     * store's writes (measured: the CRM store alone on H2 went from 24k to 44k events/s without them).
     */
    private String keysName;
    private volatile Statements statements;

    /** The statements and keys of one database, resolved on first use. */
    private record Statements(Map<CrmRows, String[]> upserts, ProcessedKeys keys) {
    }

    public CrmEventStore() {
    }

    public CrmEventStore(DataSource dataSource) {
        setDataSource(dataSource);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /**
     * Fences the writes of each event's MT5 server (several hub instances): applied only when this store writes to
     * the hub database itself. A broker's own CRM database holds no leases; there a deposed owner's late write is
     * an older or equal version of the same MT5 record, which the versioned rows already refuse or absorb.
     */
    public void setServerLeases(ServerLeases leases) {
        this.leases = leases;
    }

    private ServerLeases leases() {
        ServerLeases known = leases;
        if (known == null) {
            ServerLeases bound = camelContext == null ? null
                    : camelContext.getRegistry().findSingleByType(ServerLeases.class);
            known = bound != null ? bound : ServerLeases.unfenced();
            leases = known;
        }
        return known;
    }

    /** The CRM database; set once before use (the crm-jdbc-sink connector sets it from its parameter). */
    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
        this.statements = null;
    }

    /**
     * The processor name under which applied event ids are kept in the CRM database's {@code
     * CAMEL_MESSAGEPROCESSED}, or blank to keep none (the default: the writes are idempotent by themselves; keys
     * only save rewriting events seen before, at the cost of a second write per event).
     */
    public void setIdempotencyKeys(String processorName) {
        this.keysName = processorName == null || processorName.isBlank() ? null : processorName.strip();
        this.statements = null;
    }

    /**
     * Applies the exchange's events (one, or a batch). Events refused for good are listed as undelivered and
     * thrown as a {@link RejectedEventsException} after the others are committed.
     */
    @Override
    public void process(Exchange exchange) throws Exception {
        List<Mt5Event> events = ExchangeEvents.of(exchange);
        Map<String, String> refused = applyAll(events);
        if (!refused.isEmpty()) {
            ExchangeEvents.setUndelivered(exchange,
                    events.stream().filter(e -> refused.containsKey(e.eventId())).toList());
            throw new RejectedEventsException(refused.size() + " of " + events.size()
                    + " events refused by the CRM store: " + refused.values().iterator().next(), refused);
        }
    }

    /** Applies one event; safe to call again with the same or an older event. */
    public void apply(Mt5Event event) throws Exception {
        Map<String, String> refused = applyAll(List.of(event));
        if (!refused.isEmpty()) {
            throw new RejectedEventsException(refused.get(event.eventId()), refused);
        }
    }

    /**
     * Applies the events in one transaction, or one by one when that fails for another reason than an outage.
     *
     * @return the reason of each event refused for good, by event id; empty when all were applied
     * @throws SQLException when the database is away (nothing of the batch is applied then)
     */
    public Map<String, String> applyAll(List<Mt5Event> events) throws SQLException {
        if (dataSource == null) {
            throw new IllegalStateException("the CRM store has no data source");
        }
        try {
            applyInOneTransaction(events);
            return Map.of();
        } catch (SQLException | RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e) || FencedException.in(e) != null) {
                throw e; // retried whole, or (fenced) not this instance's to write any more
            }
            if (events.size() == 1) {
                return Map.of(events.get(0).eventId(), reasonOf(e));
            }
        }
        Map<String, String> refused = new LinkedHashMap<>();
        for (Mt5Event event : events) {
            try {
                applyInOneTransaction(List.of(event));
            } catch (SQLException | RuntimeException e) {
                if (DatabaseFailures.isUnavailable(e) || FencedException.in(e) != null) {
                    throw e;
                }
                refused.put(event.eventId(), reasonOf(e));
            }
        }
        return refused;
    }

    private void applyInOneTransaction(List<Mt5Event> events) throws SQLException {
        Statements s = statements();
        for (int attempt = 1;; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    ServerLeases fences = leases();
                    if (fences.guards(dataSource)) {
                        for (String server : events.stream().map(Mt5Event::server).distinct().sorted().toList()) {
                            fences.check(c, server);
                        }
                    }
                    write(c, s, notAppliedBefore(c, s, events));
                    c.commit();
                    return;
                } catch (SQLException | RuntimeException e) {
                    Transactions.rollbackAfter(c, e);
                    if (attempt < ATTEMPTS_AFTER_A_RACE && lostARace(e)) {
                        continue;
                    }
                    throw e;
                } finally {
                    Transactions.restoreAutoCommit(c, true);
                }
            }
        }
    }

    /**
     * Another applier of the same rows got in first: H2's MERGE fails when another transaction inserted the same key
     * meanwhile (again, it updates), and a lock wait can time out or deadlock (SQLSTATE class 40, H2's lock timeout
     * HYT00). Rows are written in key order, which keeps two batches from locking each other's rows crosswise.
     */
    private static boolean lostARace(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("40")
                    || sql.getSQLState().equals("HYT00") || SqlDialect.UNIQUE_VIOLATION.equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The events whose ids this store has not kept yet, each once; keeps their ids in this transaction. */
    private static List<Mt5Event> notAppliedBefore(Connection c, Statements s, List<Mt5Event> events)
            throws SQLException {
        Map<String, Mt5Event> byId = new TreeMap<>();
        for (Mt5Event event : events) {
            byId.putIfAbsent(event.eventId(), event);
        }
        if (s.keys() == null) {
            return new ArrayList<>(byId.values());
        }
        Set<String> fresh = s.keys().insertNew(c, byId.keySet(), new Timestamp(System.currentTimeMillis()));
        return byId.values().stream().filter(e -> fresh.contains(e.eventId())).toList();
    }

    private static void write(Connection c, Statements s, List<Mt5Event> events) throws SQLException {
        Map<CrmRows, List<Mt5Event>> byTable = new EnumMap<>(CrmRows.class);
        for (Mt5Event event : events) {
            byTable.computeIfAbsent(CrmRows.of(event.entity()), t -> new ArrayList<>()).add(event);
        }
        for (Map.Entry<CrmRows, List<Mt5Event>> table : byTable.entrySet()) {
            table.getValue().sort(ROW_ORDER);
            for (List<Mt5Event> round : rounds(table.getValue())) {
                writeRows(c, s.upserts().get(table.getKey()), table.getKey(), round);
            }
        }
    }

    /**
     * Splits rows sorted by key into rounds in which every key appears once (a statement may not change a row
     * twice): the first change of each row, then the second, ... Versioned writes make the order of one row's
     * changes irrelevant.
     */
    private static List<List<Mt5Event>> rounds(List<Mt5Event> sorted) {
        List<List<Mt5Event>> rounds = new ArrayList<>();
        Mt5Event previous = null;
        int occurrence = 0;
        for (Mt5Event event : sorted) {
            occurrence = previous != null && ROW_ORDER.compare(previous, event) == 0 ? occurrence + 1 : 0;
            if (occurrence == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(occurrence).add(event);
            previous = event;
        }
        return rounds;
    }

    /**
     * Writes rows of distinct keys with as few statements as the {@link #ROWS_PER_STATEMENT} sizes allow: a
     * statement of 64 rows costs H2 far less than 64 statements in a JDBC batch (measured: each statement opens its
     * own snapshot of the table's maps and collects its dependencies, 20-25% of the store's time in the benchmark).
     */
    private static void writeRows(Connection c, String[] upserts, CrmRows table, List<Mt5Event> rows)
            throws SQLException {
        int columns = table.upsert().columns().size();
        int at = 0;
        for (int size = 0; size < ROWS_PER_STATEMENT.length; size++) {
            int rowsEach = ROWS_PER_STATEMENT[size];
            if (rows.size() - at < rowsEach) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement(upserts[size])) {
                while (rows.size() - at >= rowsEach) {
                    for (int row = 0; row < rowsEach; row++) {
                        table.bind(ps, row * columns, rows.get(at + row));
                    }
                    ps.addBatch();
                    at += rowsEach;
                }
                ps.executeBatch();
            }
        }
    }

    private static long rowKey(Mt5Event event) {
        return switch (event.entity()) {
            case DEAL -> event.deal().ticket();
            case POSITION -> event.position().ticket();
            default -> event.login();
        };
    }

    private Statements statements() {
        Statements s = statements;
        if (s == null) {
            SqlDialect dialect = SqlDialect.of(dataSource);
            Map<CrmRows, String[]> upserts = new EnumMap<>(CrmRows.class);
            for (CrmRows table : CrmRows.values()) {
                String[] sizes = new String[ROWS_PER_STATEMENT.length];
                for (int size = 0; size < sizes.length; size++) {
                    sizes[size] = table.upsert().sql(dialect, ROWS_PER_STATEMENT[size]);
                }
                upserts.put(table, sizes);
            }
            s = new Statements(upserts, keysName == null ? null : new ProcessedKeys(dialect, keysName));
            statements = s;
        }
        return s;
    }

    private static String reasonOf(Exception e) {
        Throwable cause = e;
        if (e instanceof SQLException sql && sql.getNextException() != null) {
            cause = sql.getNextException();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}

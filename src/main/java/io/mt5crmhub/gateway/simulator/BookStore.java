package io.mt5crmhub.gateway.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.flywaydb.core.Flyway;

import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.PositionAction;

/**
 * The books on disk: an H2 file database {@code <data-dir>/sim-<server>} of its own, one JDBC connection, the
 * schema migrated by Flyway from {@code classpath:db/simulator}. Each action is written in one transaction.
 * <p>
 * {@code WRITE_DELAY=0} makes H2 write every commit to the file before the commit returns. With H2's default
 * (commits written by a background thread within about half a second) a crashed process forgets actions whose
 * events it already delivered, and would hand out their tickets again with different content under the same
 * event ids. This costs more than half the throughput; it does not fsync, so only an OS crash can still lose
 * the last actions. Since commits now write on the caller's thread, the file is opened through H2's
 * {@code async:} file system: a plain NIO channel is closed for good when a writing thread is interrupted (a
 * cancelled balance call would take the books down). Not thread-safe: the simulator calls it under its lock.
 */
final class BookStore implements AutoCloseable {

    private static final String SCHEMA_LOCATION = "classpath:db/simulator";

    private final Connection connection;
    private final PreparedStatement saveLogin;
    private final PreparedStatement insertDeal;
    private final PreparedStatement savePosition;
    private final PreparedStatement deletePosition;
    private final PreparedStatement updateState;
    private final PreparedStatement insertState;

    private BookStore(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
        saveLogin = connection.prepareStatement("MERGE INTO sim_login (login, client_id, grp, name, email, leverage, "
                + "currency, balance, credit, agent, registered_ms, updated_ms) KEY (login) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertDeal = connection.prepareStatement("INSERT INTO sim_deal (ticket, login, time_ms, order_ticket, "
                + "position_id, action, entry, reason, symbol, volume, price, profit, commission, swap, fee, comment) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        savePosition = connection.prepareStatement("MERGE INTO sim_position (ticket, login, action, symbol, volume, "
                + "price_open, price_current, price_sl, price_tp, profit, swap, comment, opened_ms, updated_ms) "
                + "KEY (ticket) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        deletePosition = connection.prepareStatement("DELETE FROM sim_position WHERE ticket = ?");
        updateState = connection.prepareStatement("UPDATE sim_state SET start_ms = ?, clock_ms = ?, action_no = ?, "
                + "next_deal = ?, next_order = ?, next_login = ?, bids = ? WHERE id = 1");
        insertState = connection.prepareStatement("INSERT INTO sim_state (start_ms, clock_ms, action_no, next_deal, "
                + "next_order, next_login, bids, id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)");
    }

    static BookStore open(Path dataDir, String serverId) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the simulator data directory " + dataDir, e);
        }
        String url = "jdbc:h2:async:" + dataDir.toAbsolutePath().resolve("sim-" + serverId) + ";WRITE_DELAY=0"
                // closed by the gateway on disconnect; H2's own JVM-exit hook would race a graceful shutdown
                + ";DB_CLOSE_ON_EXIT=FALSE";
        Flyway.configure().dataSource(url, "sa", "").locations(SCHEMA_LOCATION).load().migrate();
        try {
            return new BookStore(DriverManager.getConnection(url, "sa", ""));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the simulator books at " + url, e);
        }
    }

    /** The books as last committed, or null when this server has never run. */
    Books load() throws SQLException {
        Books books = new Books();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT start_ms, clock_ms, action_no, next_deal, next_order, "
                    + "next_login, bids FROM sim_state WHERE id = 1")) {
                if (!rs.next()) {
                    return null;
                }
                books.startMs = rs.getLong(1);
                books.clockMs = rs.getLong(2);
                books.actionNo = rs.getLong(3);
                books.nextDeal = rs.getLong(4);
                books.nextOrder = rs.getLong(5);
                books.nextLogin = rs.getLong(6);
                readBids(rs.getString(7), books.market);
            }
            try (ResultSet rs = statement.executeQuery("SELECT login, client_id, grp, name, email, leverage, balance, "
                    + "credit, agent, registered_ms, updated_ms FROM sim_login ORDER BY login")) {
                while (rs.next()) {
                    books.putLogin(new SimLogin(rs.getLong(1), rs.getString(2), GroupSpec.ofName(rs.getString(3)),
                            rs.getString(4), rs.getString(5), rs.getInt(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                            rs.getLong(9), Instant.ofEpochMilli(rs.getLong(10)), Instant.ofEpochMilli(rs.getLong(11))));
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT ticket, login, action, symbol, volume, price_open, "
                    + "price_current, price_sl, price_tp, profit, swap, comment, opened_ms, updated_ms "
                    + "FROM sim_position ORDER BY ticket")) {
                while (rs.next()) {
                    SymbolSpec symbol = SymbolSpec.valueOf(rs.getString(4));
                    books.putPosition(new SimPosition(rs.getLong(1), rs.getLong(2), symbol,
                            PositionAction.values()[rs.getInt(3)], rs.getBigDecimal(5),
                            symbol.round(rs.getBigDecimal(6)), symbol.round(rs.getBigDecimal(7)),
                            symbol.round(rs.getBigDecimal(8)), symbol.round(rs.getBigDecimal(9)), rs.getBigDecimal(10),
                            rs.getBigDecimal(11), rs.getString(12), Instant.ofEpochMilli(rs.getLong(13)),
                            Instant.ofEpochMilli(rs.getLong(14))));
                }
            }
        }
        connection.commit();
        return books;
    }

    /** Writes what one action changed, and the counters, clock and prices, in one transaction. */
    void commit(BookTransaction tx, Books books) throws SQLException {
        commit(List.of(tx), books);
    }

    /**
     * Writes what several actions changed, in their order, and the counters, clock and prices, in one transaction:
     * at full speed one commit per action was 70% of the simulator's time (measured with JFR in the benchmark).
     */
    void commit(List<BookTransaction> txs, Books books) throws SQLException {
        try {
            Set<Long> deleted = new LinkedHashSet<>(all(txs, BookTransaction::deletedPositions));
            for (SimLogin login : latest(all(txs, BookTransaction::dirtyLogins), l -> l.login)) {
                saveLogin.setLong(1, login.login);
                saveLogin.setString(2, login.clientId);
                saveLogin.setString(3, login.group.groupName());
                saveLogin.setString(4, login.name);
                saveLogin.setString(5, login.email);
                saveLogin.setInt(6, login.leverage);
                saveLogin.setString(7, login.currency());
                saveLogin.setBigDecimal(8, login.balance);
                saveLogin.setBigDecimal(9, login.credit);
                saveLogin.setLong(10, login.agent);
                saveLogin.setLong(11, login.registeredAt.toEpochMilli());
                saveLogin.setLong(12, login.updatedAt.toEpochMilli());
                saveLogin.addBatch();
            }
            saveLogin.executeBatch();
            for (StoredDeal stored : all(txs, BookTransaction::deals)) {
                Deal deal = stored.deal();
                insertDeal.setLong(1, deal.ticket());
                insertDeal.setLong(2, stored.login());
                insertDeal.setLong(3, stored.time().toEpochMilli());
                insertDeal.setLong(4, deal.order());
                insertDeal.setLong(5, deal.positionId());
                insertDeal.setInt(6, deal.action().code());
                insertDeal.setInt(7, deal.entry().code());
                insertDeal.setInt(8, deal.reason().code());
                insertDeal.setString(9, deal.symbol());
                insertDeal.setBigDecimal(10, deal.volume());
                insertDeal.setBigDecimal(11, deal.price());
                insertDeal.setBigDecimal(12, deal.profit());
                insertDeal.setBigDecimal(13, deal.commission());
                insertDeal.setBigDecimal(14, deal.swap());
                insertDeal.setBigDecimal(15, deal.fee());
                insertDeal.setString(16, deal.comment());
                insertDeal.addBatch();
            }
            insertDeal.executeBatch();
            for (SimPosition position : latest(all(txs, BookTransaction::savedPositions), p -> p.ticket)) {
                if (deleted.contains(position.ticket)) {
                    continue;
                }
                savePosition.setLong(1, position.ticket);
                savePosition.setLong(2, position.login);
                savePosition.setInt(3, position.action.ordinal());
                savePosition.setString(4, position.symbol.name());
                savePosition.setBigDecimal(5, position.volume);
                savePosition.setBigDecimal(6, position.priceOpen);
                savePosition.setBigDecimal(7, position.priceCurrent);
                savePosition.setBigDecimal(8, position.priceSl);
                savePosition.setBigDecimal(9, position.priceTp);
                savePosition.setBigDecimal(10, position.profit);
                savePosition.setBigDecimal(11, position.swap);
                savePosition.setString(12, position.comment);
                savePosition.setLong(13, position.openedAt.toEpochMilli());
                savePosition.setLong(14, position.updatedAt.toEpochMilli());
                savePosition.addBatch();
            }
            savePosition.executeBatch();
            for (Long ticket : deleted) {
                deletePosition.setLong(1, ticket);
                deletePosition.addBatch();
            }
            deletePosition.executeBatch();
            if (writeState(updateState, books) == 0) {
                writeState(insertState, books);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /** One part of every transaction, in action order (later writes of the same row win). */
    private static <T> List<T> all(List<BookTransaction> txs, Function<BookTransaction, Collection<T>> part) {
        if (txs.size() == 1) {
            return List.copyOf(part.apply(txs.get(0)));
        }
        List<T> all = new ArrayList<>();
        for (BookTransaction tx : txs) {
            all.addAll(part.apply(tx));
        }
        return all;
    }

    /**
     * Each login or position once, however many of the actions changed it. The books hand out their live objects,
     * so every occurrence holds the newest state already (measured: rewriting the same rows was most of the
     * simulator's commit time at 500 actions per commit).
     */
    private static <T> Collection<T> latest(List<T> changed, Function<T, Long> key) {
        Map<Long, T> byKey = new LinkedHashMap<>();
        for (T item : changed) {
            byKey.put(key.apply(item), item);
        }
        return byKey.values();
    }

    private static int writeState(PreparedStatement statement, Books books) throws SQLException {
        statement.setLong(1, books.startMs);
        statement.setLong(2, books.clockMs);
        statement.setLong(3, books.actionNo);
        statement.setLong(4, books.nextDeal);
        statement.setLong(5, books.nextOrder);
        statement.setLong(6, books.nextLogin);
        statement.setString(7, writeBids(books.market));
        return statement.executeUpdate();
    }

    private static String writeBids(MarketPrices market) {
        StringBuilder text = new StringBuilder(96);
        for (Map.Entry<SymbolSpec, BigDecimal> bid : market.snapshot().entrySet()) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(bid.getKey().name()).append('=').append(bid.getValue().toPlainString());
        }
        return text.toString();
    }

    private static void readBids(String text, MarketPrices market) {
        for (String pair : text.split(" ")) {
            int equals = pair.indexOf('=');
            market.set(SymbolSpec.valueOf(pair.substring(0, equals)), new BigDecimal(pair.substring(equals + 1)));
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** Deals with {@code from <= time <= to}, by time then ticket. */
    List<StoredDeal> deals(Instant from, Instant to) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(DEAL_COLUMNS
                + "WHERE time_ms BETWEEN ? AND ? ORDER BY time_ms, ticket")) {
            query.setLong(1, ceilMillis(from));
            query.setLong(2, floorMillis(to));
            return readDeals(query);
        }
    }

    /** The deals of one login with exactly this comment, at or after {@code since}, by time then ticket. */
    List<StoredDeal> dealsOf(long login, String comment, Instant since) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(DEAL_COLUMNS
                + "WHERE login = ? AND comment = ? AND time_ms >= ? ORDER BY time_ms, ticket")) {
            query.setLong(1, login);
            query.setString(2, comment);
            query.setLong(3, ceilMillis(since));
            return readDeals(query);
        }
    }

    /** The deals with these tickets, by time then ticket. */
    List<StoredDeal> dealsByTicket(Collection<Long> tickets) throws SQLException {
        if (tickets.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(tickets.size(), "?"));
        try (PreparedStatement query = connection.prepareStatement(DEAL_COLUMNS + "WHERE ticket IN (" + marks
                + ") ORDER BY time_ms, ticket")) {
            int i = 0;
            for (Long ticket : tickets) {
                query.setLong(++i, ticket);
            }
            return readDeals(query);
        }
    }

    private static final String DEAL_COLUMNS = "SELECT ticket, login, time_ms, order_ticket, position_id, action, "
            + "entry, reason, symbol, volume, price, profit, commission, swap, fee, comment FROM sim_deal ";

    private List<StoredDeal> readDeals(PreparedStatement query) throws SQLException {
        List<StoredDeal> deals = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                String symbol = rs.getString(9);
                SymbolSpec spec = SymbolSpec.ofNullable(symbol);
                BigDecimal price = rs.getBigDecimal(11);
                Deal deal = new Deal(rs.getLong(1), rs.getLong(4), rs.getLong(5), DealAction.ofCode(rs.getInt(6)),
                        DealEntry.ofCode(rs.getInt(7)), DealReason.ofCode(rs.getInt(8)), symbol, rs.getBigDecimal(10),
                        spec == null ? price.setScale(0) : spec.round(price), rs.getBigDecimal(12),
                        rs.getBigDecimal(13), rs.getBigDecimal(14), rs.getBigDecimal(15), rs.getString(16));
                deals.add(new StoredDeal(rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)), deal));
            }
        }
        connection.commit();
        return deals;
    }

    /** Times are stored in whole milliseconds: a window starts at the first one it contains. */
    private static long ceilMillis(Instant instant) {
        try {
            long millis = instant.toEpochMilli();
            return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long floorMillis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the simulator books", e);
        }
    }
}

package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.concurrent.locks.ReentrantLock;

import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;

/**
 * An in-process stand-in for an MT5 trade server: books of logins, deals and positions that a seeded activity
 * loop trades on, with MT5's shapes (entries, reasons, deal actions), its {@code DealerBalance} checks and its
 * history queries. Independent of Camel; {@link SimulatorGateway} puts it behind the hub's gateway interface.
 *
 * <h2>Actions and events</h2>
 * Everything that changes the books is an action: a generated one ({@link #runAction()}), a balance operation
 * ({@link #balance}) or the creation of the world on a fresh start. Each action is one database transaction;
 * its events are queued for delivery only after it committed, and {@link #takeEvents()} hands them out in
 * commit order. Events of logins outside the configured group mask are neither queued nor returned by the
 * queries. Within an action, a deal comes before the event of the position it changed, and every login whose
 * money or profile changed gets one {@code account.updated} at the end. A {@code position.deleted}
 * carries the position as it was when it closed (its last volume, the closing price); an {@code account.added}
 * carries the new login before its first deposit (balance zero).
 *
 * <h2>Clock</h2>
 * The simulated clock starts at {@code start-time} (or the wall clock at the first start; either way it is
 * persisted) and moves forward by {@link SimulatorSettings#tick()} (1000/rate ms, at least 1 ms) before every
 * action, so each record's update time, and with it every {@code updated} event's version, strictly rises.
 * The world is created at the start time itself. After a restart the clock continues from the persisted
 * clock; without a configured {@code start-time} it jumps to the wall clock when that is later.
 *
 * <h2>Determinism</h2>
 * Generated action number n draws all its randomness from {@code new SplittableRandom(mix(seed, n))} and picks
 * from ordered collections only, so on a fresh data directory the same seed and start time give exactly the
 * same stream of events, ids and content included. Balance operations use no randomness (but they do take
 * tickets and clock ticks, so calling them changes what follows). With a configured start time this holds across
 * restarts too; without one, continuing after a restart is consistent but not reproducible, since the clock
 * jumps to the wall clock.
 *
 * <h2>Persistence</h2>
 * The books live in the H2 file database {@code <data-dir>/sim-<server>}, migrated by Flyway; a commit is
 * written to the file before its events are queued, so even a killed process keeps everything it announced.
 * After a restart the server carries on: tickets keep rising, balances and open positions carry over. If a
 * commit fails, the in-memory books are reloaded from the last commit and the failure is reported.
 * <p>
 * Thread-safe: every method takes one lock, except waiting for and draining events.
 */
public final class TradeServerSimulator implements AutoCloseable {

    private static final long WORLD_ACTION = -1;

    private final ReentrantLock lock = new ReentrantLock();
    private final String serverId;
    private final SimulatorSettings settings;
    private final SimulatorFaults faults;
    private final VisibleBooks view;
    private final long tickMs;
    private final BookStore store;
    private final EventOutbox outbox = new EventOutbox();
    private Books books;
    private ActivityGenerator generator;
    private BalanceDesk balanceDesk;
    private boolean closed;

    private TradeServerSimulator(String serverId, SimulatorSettings settings, SimulatorFaults faults,
            BookStore store) {
        this.serverId = serverId;
        this.settings = settings;
        this.faults = faults;
        this.view = new VisibleBooks(serverId, settings.groups());
        this.tickMs = settings.tick().toMillis();
        this.store = store;
    }

    /** Opens the books of {@code serverId} under the settings' data directory, creating the world if new. */
    public static TradeServerSimulator open(String serverId, SimulatorSettings settings) {
        return open(serverId, settings, new SimulatorFaults());
    }

    public static TradeServerSimulator open(String serverId, SimulatorSettings settings, SimulatorFaults faults) {
        return open(serverId, settings, faults, Clock.systemUTC());
    }

    static TradeServerSimulator open(String serverId, SimulatorSettings settings, SimulatorFaults faults,
            Clock wallClock) {
        BookStore store = BookStore.open(settings.dataDir(), serverId);
        TradeServerSimulator simulator = new TradeServerSimulator(serverId, settings, faults, store);
        try {
            simulator.start(wallClock);
        } catch (SQLException | RuntimeException e) {
            store.close();
            throw new IllegalStateException("cannot open the simulator books of " + serverId, e);
        }
        return simulator;
    }

    private void start(Clock wallClock) throws SQLException {
        Books loaded = store.load();
        if (loaded != null) {
            if (settings.startTime().isEmpty()) {
                // a live demo follows the wall clock; a configured start time pins a reproducible timeline
                loaded.clockMs = Math.max(loaded.clockMs, wallClock.millis());
            }
            wire(loaded);
            return;
        }
        Books fresh = new Books();
        fresh.startMs = settings.startTime().orElseGet(wallClock::instant).toEpochMilli();
        fresh.clockMs = fresh.startMs;
        wire(fresh);
        BookTransaction tx = new BookTransaction(serverId, fresh, Instant.ofEpochMilli(fresh.clockMs));
        new WorldBuilder(fresh, new TradeDesk(fresh)).create(tx, settings.clients(), settings.maxLoginsPerClient(),
                new SplittableRandom(mix(settings.seed(), WORLD_ACTION)));
        List<Mt5Event> events = tx.finish();
        store.commit(tx, fresh);
        outbox.append(view.only(events));
    }

    private void wire(Books loaded) {
        TradeDesk desk = new TradeDesk(loaded);
        this.books = loaded;
        this.generator = new ActivityGenerator(loaded, desk, new WorldBuilder(loaded, desk),
                settings.maxLoginsPerClient());
        this.balanceDesk = new BalanceDesk(loaded, desk, settings.groups());
    }

    public SimulatorFaults faults() {
        return faults;
    }

    /** Performs the next generated action and queues its events. */
    public void runAction() {
        runActions(1);
    }

    /**
     * Performs the next {@code count} generated actions and commits them together, then queues their events.
     * Used at full speed, where one commit per action dominated the cost; the books and the stream are the
     * same as with single actions.
     */
    public void runActions(int count) {
        lock.lock();
        try {
            requireOpen();
            long first = books.actionNo;
            List<BookTransaction> txs = new ArrayList<>(count);
            List<Mt5Event> events = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    long number = books.actionNo;
                    BookTransaction tx = new BookTransaction(serverId, books, nextTick());
                    generator.perform(tx, new SplittableRandom(mix(settings.seed(), number)));
                    books.actionNo = number + 1;
                    events.addAll(tx.finish());
                    txs.add(tx);
                }
                store.commit(txs, books);
            } catch (SQLException | RuntimeException e) {
                reloadAfter(e);
                throw new IllegalStateException("simulated actions " + first + ".." + (first + count - 1)
                        + " failed and were rolled back", e);
            }
            outbox.append(view.only(events));
        } finally {
            lock.unlock();
        }
    }

    /** Hands out the queued events, oldest first. */
    public List<Mt5Event> takeEvents() {
        return outbox.drain();
    }

    /** {@link #runAction()} then {@link #takeEvents()}: the events of this action and of any earlier ones. */
    public List<Mt5Event> step() {
        runAction();
        return takeEvents();
    }

    /** Waits up to {@code timeout} for queued events, returning early on {@link #wake()}. */
    public void awaitEvents(Duration timeout) throws InterruptedException {
        outbox.await(timeout.toNanos());
    }

    /** Ends a pending {@link #awaitEvents} now. */
    public void wake() {
        outbox.wake();
    }

    /**
     * MT5 {@code DealerBalance}. A refusal comes back as a result with its retcode; a performed operation as
     * {@link BalanceResult#done} with the ticket of its deal, which carries the order's comment, reason DEALER,
     * and is delivered like any other deal, followed by the login's {@code account.updated}.
     *
     * @throws GatewayException with ERR_TIMEOUT or ERR_CONNECTION when a {@link SimulatorFaults fault} is on, or
     *                          when the books are closed or could not be saved
     */
    public BalanceResult balance(BalanceOrder order) throws GatewayException {
        faults.onRequest(serverId);
        BalanceResult result = applyBalance(order);
        faults.onAnswer(serverId);
        return result;
    }

    private BalanceResult applyBalance(BalanceOrder order) throws GatewayException {
        lock.lock();
        try {
            if (closed) {
                throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "simulator " + serverId + " is not running");
            }
            BalanceResult refusal = balanceDesk.check(order);
            if (refusal != null) {
                return refusal;
            }
            BookTransaction tx = new BookTransaction(serverId, books, nextTick());
            Deal deal;
            List<Mt5Event> events;
            try {
                deal = balanceDesk.perform(tx, order);
                events = tx.finish();
                store.commit(tx, books);
            } catch (SQLException | RuntimeException e) {
                reloadAfter(e);
                throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "the balance operation could not be saved "
                        + "and was rolled back", e);
            }
            outbox.append(view.only(events));
            return BalanceResult.done(deal.ticket());
        } finally {
            lock.unlock();
        }
    }

    /** Deals with {@code from <= time <= to}, by time then ticket. */
    public List<Mt5Event> dealHistory(Instant from, Instant to) {
        return readStore("cannot read the deal history of " + serverId,
                () -> view.deals(books, store.deals(from, to)));
    }

    /** The deals with these tickets (MT5 {@code DealRequestByTickets}), by time then ticket. */
    public List<Mt5Event> dealsByTicket(Collection<Long> tickets) {
        return readStore("cannot read deals by ticket on " + serverId, () -> view.deals(books, store.dealsByTicket(tickets)));
    }

    /** The deals of {@code login} with exactly {@code comment}, made at or after {@code since}. */
    public List<Mt5Event> findDeals(long login, String comment, Instant since) {
        return readStore("cannot read the deals of " + login + " on " + serverId,
                () -> view.deals(books, store.dealsOf(login, comment, since)));
    }

    /** Every visible login as {@code account.updated}, its version the login's last update time. */
    public List<Mt5Event> accounts() {
        return read(() -> view.accounts(books));
    }

    /**
     * Every visible open position as the event of its latest change: {@code position.added} if it never changed
     * after opening, else {@code position.updated} with its current version.
     */
    public List<Mt5Event> openPositions() {
        return read(() -> view.openPositions(books));
    }

    /** Visible login to the CRM client owning it ({@code C-1001} ...), ordered by login. */
    public Map<Long, String> clientIdsByLogin() {
        return read(() -> view.clientIdsByLogin(books));
    }

    /** MT5 free margin of a login now (balance + credit + floating profit - used margin), for tests. */
    BigDecimal freeMargin(long login) {
        return read(() -> new TradeMath(books.market).freeMargin(books, books.login(login)));
    }

    /** The simulated time of the last action. */
    public Instant clock() {
        lock.lock();
        try {
            return Instant.ofEpochMilli(books.clockMs);
        } finally {
            lock.unlock();
        }
    }

    /** How many events the books have made since they were opened (every change a gateway delivers). */
    public long eventCount() {
        return outbox.appended();
    }

    /** How many generated actions the books have seen, over all runs. */
    public long actionCount() {
        lock.lock();
        try {
            return books.actionNo;
        } finally {
            lock.unlock();
        }
    }

    public boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                store.close();
            }
        } finally {
            lock.unlock();
        }
        outbox.wake();
    }

    /** SplitMix64's finaliser over the seed and the action number: well-spread, independent seeds per action. */
    static long mix(long seed, long actionNumber) {
        long z = seed + (actionNumber + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private Instant nextTick() {
        books.clockMs += tickMs;
        return Instant.ofEpochMilli(books.clockMs);
    }

    private void reloadAfter(Exception failure) {
        try {
            Books reloaded = store.load();
            if (reloaded == null) {
                throw new IllegalStateException("the books vanished");
            }
            reloaded.clockMs = Math.max(reloaded.clockMs, books.clockMs);
            wire(reloaded);
        } catch (SQLException | RuntimeException reloadFailure) {
            failure.addSuppressed(reloadFailure);
            closed = true;
            try {
                store.close();
            } catch (RuntimeException closeFailure) {
                failure.addSuppressed(closeFailure);
            }
        }
    }

    /** A read of the open books under the lock. */
    private <T> T read(Supplier<T> read) {
        lock.lock();
        try {
            requireOpen();
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** A read of the open books' database under the lock; a failure is reported as {@code failure}. */
    private <T> T readStore(String failure, StoreRead<T> read) {
        return read(() -> {
            try {
                return read.read();
            } catch (SQLException e) {
                throw new IllegalStateException(failure, e);
            }
        });
    }

    @FunctionalInterface
    private interface StoreRead<T> {
        T read() throws SQLException;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("simulator " + serverId + " is closed");
        }
    }
}

package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;

/**
 * One action on the books: everything it changes happens at one simulated time, is saved in one database
 * transaction, and yields its events in order.
 * <p>
 * Every change goes through here, which is what keeps the invariants true by construction: a deal's money lands
 * on the balance or the credit exactly as {@link DealAction#affectsBalance()} and
 * {@link DealAction#affectsCredit()} say, and each touched login gets one {@code account.updated} after its
 * deals. Since all records changed by the action share its time, a record may carry at most one update event
 * per action (its version); a second one would reuse an event id for different content, so it is refused.
 */
final class BookTransaction {

    private final String server;
    private final Books books;
    private final Instant time;
    private final List<Mt5Event> events = new ArrayList<>();
    private final List<StoredDeal> deals = new ArrayList<>();
    private final Set<Long> dirtyLogins = new LinkedHashSet<>();
    private final Set<Long> pendingAccounts = new LinkedHashSet<>();
    private final Set<Long> reportedAccounts = new HashSet<>();
    private final Set<Long> reportedPositions = new HashSet<>();
    private final Map<Long, SimPosition> savedPositions = new LinkedHashMap<>();
    private final Set<Long> deletedPositions = new LinkedHashSet<>();

    BookTransaction(String server, Books books, Instant time) {
        this.server = server;
        this.books = books;
        this.time = time;
    }

    Instant time() {
        return time;
    }

    /** A trade deal (BUY or SELL) on a position. */
    Deal tradeDeal(SimLogin login, long order, long positionId, SymbolSpec symbol, Fill fill) {
        return addDeal(login, new Deal(books.takeDealTicket(), order, positionId, fill.side(), fill.entry(),
                fill.reason(), symbol.name(), fill.volume(), fill.price(), fill.profit(), fill.commission(),
                TradeMath.ZERO, TradeMath.ZERO, fill.comment()));
    }

    /** A balance-type deal (deposit, withdrawal, credit, bonus, commission, agent ...): no order, no position. */
    Deal balanceDeal(SimLogin login, DealAction action, BigDecimal amount, DealReason reason, String comment) {
        return addDeal(login, new Deal(books.takeDealTicket(), 0, 0, action, DealEntry.IN, reason, "", TradeMath.ZERO,
                BigDecimal.ZERO, amount, TradeMath.ZERO, TradeMath.ZERO, TradeMath.ZERO, comment));
    }

    private Deal addDeal(SimLogin login, Deal deal) {
        if (deal.action().affectsCredit()) {
            login.credit = login.credit.add(deal.money());
        } else if (deal.action().affectsBalance()) {
            login.balance = login.balance.add(deal.money());
        }
        accountChanged(login);
        deals.add(new StoredDeal(login.login, time, deal));
        events.add(Mt5Event.ofDeal(server, EventType.DEAL_ADDED, login.login, login.group.groupName(), time, deal));
        return deal;
    }

    void accountAdded(SimLogin login) {
        books.putLogin(login);
        dirtyLogins.add(login.login);
        events.add(Mt5Event.ofAccount(server, EventType.ACCOUNT_ADDED, login.login, login.toAccount()));
    }

    /** The login changed; its {@code account.updated} follows at the next {@link #flushAccounts()}. */
    void accountChanged(SimLogin login) {
        if (reportedAccounts.contains(login.login)) {
            throw new IllegalStateException("login " + login.login + " changed again after its account.updated");
        }
        login.updatedAt = time;
        dirtyLogins.add(login.login);
        pendingAccounts.add(login.login);
    }

    /** Emits {@code account.updated} for every login changed since the last flush. */
    void flushAccounts() {
        for (Long number : pendingAccounts) {
            SimLogin login = books.login(number);
            events.add(Mt5Event.ofAccount(server, EventType.ACCOUNT_UPDATED, number, login.toAccount()));
            reportedAccounts.add(number);
        }
        pendingAccounts.clear();
    }

    void positionAdded(SimPosition position) {
        books.putPosition(position);
        positionEvent(EventType.POSITION_ADDED, position);
        savedPositions.put(position.ticket, position);
    }

    void positionUpdated(SimPosition position) {
        position.updatedAt = time;
        positionEvent(EventType.POSITION_UPDATED, position);
        savedPositions.put(position.ticket, position);
    }

    void positionDeleted(SimPosition position) {
        position.updatedAt = time;
        books.removePosition(position);
        positionEvent(EventType.POSITION_DELETED, position);
        savedPositions.remove(position.ticket);
        deletedPositions.add(position.ticket);
    }

    private void positionEvent(EventType type, SimPosition position) {
        if (!reportedPositions.add(position.ticket)) {
            throw new IllegalStateException("position " + position.ticket + " changed twice in one action");
        }
        SimLogin login = books.login(position.login);
        events.add(Mt5Event.ofPosition(server, type, position.login, login.group.groupName(), time,
                position.toPosition()));
    }

    /** Closes the action: the remaining account updates, then the events in the order they happened. */
    List<Mt5Event> finish() {
        flushAccounts();
        return events;
    }

    List<StoredDeal> deals() {
        return deals;
    }

    Collection<SimLogin> dirtyLogins() {
        List<SimLogin> dirty = new ArrayList<>(dirtyLogins.size());
        for (Long number : dirtyLogins) {
            dirty.add(books.login(number));
        }
        return dirty;
    }

    Collection<SimPosition> savedPositions() {
        return savedPositions.values();
    }

    Collection<Long> deletedPositions() {
        return deletedPositions;
    }
}

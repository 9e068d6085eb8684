package io.mt5crmhub.gateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.mt5crmhub.event.ChangeType;
import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.EventValidator;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.event.PositionAction;

/**
 * Replays a simulator's event stream like a CRM would and checks, event by event, everything that must hold:
 * the contract (validation, JSON round trip, unique ids, rising versions), the money (balance and credit equal
 * the sums of their deals at every account update, never negative), the positions (volume equals the signed sum
 * of their deals, zero once deleted) and MT5's entry rules. It then compares its picture with the books.
 */
final class EventLedger {

    private static final String NETTING_GROUP = "real\\netting";

    private final boolean balancesNeverNegative;
    private final Set<String> eventIds = new HashSet<>();
    private final Map<String, Instant> lastVersion = new HashMap<>();
    private final Map<Long, BigDecimal> balances = new HashMap<>();
    private final Map<Long, BigDecimal> credits = new HashMap<>();
    private final Map<Long, Mt5Event> lastAccount = new LinkedHashMap<>();
    private final Map<Long, Instant> awaitingAccount = new HashMap<>();
    private final Map<Long, BigDecimal> positionSums = new HashMap<>();
    private final Map<Long, Mt5Event> lastPosition = new HashMap<>();
    private final Set<Long> deletedPositions = new HashSet<>();
    private final List<Mt5Event> deals = new ArrayList<>();
    private final Set<DealEntry> entries = EnumSet.noneOf(DealEntry.class);
    private final Set<DealReason> reasons = EnumSet.noneOf(DealReason.class);
    private final Set<DealAction> actions = EnumSet.noneOf(DealAction.class);
    private final Set<EventType> types = new HashSet<>();
    private Instant now = Instant.MIN;
    private long lastDealTicket;
    private long lastOrderTicket;
    private int count;

    EventLedger() {
        this(true);
    }

    EventLedger(boolean balancesNeverNegative) {
        this.balancesNeverNegative = balancesNeverNegative;
    }

    EventLedger acceptAll(List<Mt5Event> events) {
        events.forEach(this::accept);
        return this;
    }

    void accept(Mt5Event event) {
        count++;
        EventValidator.validate(event);
        assertThat(EventJson.read(EventJson.write(event))).as("JSON round trip of %s", event.eventId()).isEqualTo(event);
        assertThat(eventIds.add(event.eventId())).as("unique event id %s", event.eventId()).isTrue();
        assertThat(event.group()).as("group of %s", event.eventId()).isNotBlank();
        assertThat(event.occurredAt()).as("events come in time order: %s", event.eventId()).isAfterOrEqualTo(now);
        if (event.occurredAt().isAfter(now)) {
            assertThat(awaitingAccount).as("account.updated owed by the action before %s", event.eventId()).isEmpty();
            now = event.occurredAt();
        }
        types.add(event.type());
        switch (event.type().entity()) {
            case DEAL -> acceptDeal(event);
            case POSITION -> acceptPosition(event);
            case ACCOUNT -> acceptAccount(event);
            case ORDER -> throw new AssertionError("the simulator emits no order events");
        }
    }

    private void acceptDeal(Mt5Event event) {
        assertThat(event.type()).isEqualTo(EventType.DEAL_ADDED);
        Deal deal = event.deal();
        assertThat(deal.ticket()).as("deal tickets rise").isGreaterThan(lastDealTicket)
                .isGreaterThanOrEqualTo(Books.FIRST_DEAL);
        lastDealTicket = deal.ticket();
        for (BigDecimal money : List.of(deal.profit(), deal.commission(), deal.swap(), deal.fee())) {
            assertThat(money.scale()).as("money in cents: %s", event.eventId()).isEqualTo(2);
        }
        assertThat(deal.volume().scale()).as("volume in 0.01 lots").isEqualTo(2);
        assertThat(deal.comment().length()).isLessThanOrEqualTo(32);
        entries.add(deal.entry());
        reasons.add(deal.reason());
        actions.add(deal.action());
        deals.add(event);
        long login = event.login();
        if (deal.action().affectsCredit()) {
            credits.merge(login, deal.money(), BigDecimal::add);
        } else if (deal.action().affectsBalance()) {
            balances.merge(login, deal.money(), BigDecimal::add);
        }
        awaitingAccount.put(login, event.occurredAt());
        if (deal.action().isTrade()) {
            acceptTradeDeal(event, deal);
        } else {
            assertThat(deal.positionId()).isZero();
            assertThat(deal.order()).isZero();
            assertThat(deal.symbol()).isEmpty();
            assertThat(deal.volume().signum()).isZero();
        }
    }

    private void acceptTradeDeal(Mt5Event event, Deal deal) {
        SymbolSpec symbol = SymbolSpec.valueOf(deal.symbol());
        assertThat(deal.price().scale()).as("price in the symbol's digits").isEqualTo(symbol.digits());
        assertThat(deal.volume().signum()).isPositive();
        assertThat(deal.order()).isGreaterThanOrEqualTo(Books.FIRST_ORDER).isGreaterThanOrEqualTo(lastOrderTicket);
        lastOrderTicket = deal.order();
        boolean netting = NETTING_GROUP.equals(event.group());
        long id = deal.positionId();
        assertThat(deletedPositions).as("no deal on closed position %d", id).doesNotContain(id);
        BigDecimal before = positionSums.getOrDefault(id, BigDecimal.ZERO);
        BigDecimal signed = deal.action() == DealAction.BUY ? deal.volume() : deal.volume().negate();
        BigDecimal after = before.add(signed);
        String what = event.eventId() + " " + deal.entry() + " on position " + id + " from " + before + " to " + after;
        switch (deal.entry()) {
            case IN -> {
                if (before.signum() == 0) {
                    assertThat(positionSums).as("a new position: " + what).doesNotContainKey(id);
                    assertThat(id).as("position ticket = opening order: " + what).isEqualTo(deal.order());
                } else {
                    assertThat(netting).as("only netting adds to a position: " + what).isTrue();
                    assertThat(after.signum()).as(what).isEqualTo(before.signum());
                }
                assertThat(after.abs()).as(what).isGreaterThan(before.abs());
            }
            case OUT, OUT_BY -> {
                assertThat(before.signum()).as(what).isNotZero();
                assertThat(after.signum() == 0 || after.signum() == before.signum()).as(what).isTrue();
                assertThat(after.abs()).as(what).isLessThan(before.abs());
                if (deal.entry() == DealEntry.OUT_BY) {
                    assertThat(netting).as("close-by only on hedging accounts: " + what).isFalse();
                }
            }
            case INOUT -> {
                assertThat(netting).as("reversal only on netting accounts: " + what).isTrue();
                assertThat(before.signum()).as(what).isNotZero();
                assertThat(after.signum()).as(what).isEqualTo(-before.signum());
            }
        }
        positionSums.put(id, after);
    }

    private void acceptPosition(Mt5Event event) {
        Position position = event.position();
        long ticket = position.ticket();
        assertThat(deletedPositions).as("no event after position %d was deleted", ticket).doesNotContain(ticket);
        assertThat(position.updatedAt()).isEqualTo(event.occurredAt());
        SymbolSpec symbol = SymbolSpec.valueOf(position.symbol());
        for (BigDecimal price : List.of(position.priceOpen(), position.priceCurrent(), position.priceSl(),
                position.priceTp())) {
            assertThat(price.scale()).as("prices of %s in the symbol's digits", event.eventId())
                    .isEqualTo(symbol.digits());
        }
        assertThat(position.profit().scale()).isEqualTo(2);
        BigDecimal sum = positionSums.getOrDefault(ticket, BigDecimal.ZERO);
        if (event.type().change() == ChangeType.DELETED) {
            assertThat(sum.signum()).as("a deleted position's deals sum to zero: %s", event.eventId()).isZero();
            deletedPositions.add(ticket);
        } else {
            assertThat(position.volume()).as("volume of %s", event.eventId()).isEqualByComparingTo(sum.abs());
            assertThat(position.action()).as("side of %s", event.eventId())
                    .isEqualTo(sum.signum() > 0 ? PositionAction.BUY : PositionAction.SELL);
        }
        if (event.type().change() == ChangeType.ADDED) {
            assertThat(lastPosition).as("added once: %s", event.eventId()).doesNotContainKey(ticket);
            assertThat(position.openedAt()).isEqualTo(position.updatedAt());
        } else {
            assertThat(lastPosition).as("known before it changes: %s", event.eventId()).containsKey(ticket);
        }
        risingVersion("position:" + ticket, position.updatedAt(), event);
        lastPosition.put(ticket, event);
    }

    private void acceptAccount(Mt5Event event) {
        long login = event.login();
        var account = event.account();
        assertThat(account.balance().scale()).isEqualTo(2);
        assertThat(account.credit().scale()).isEqualTo(2);
        assertThat(account.balance()).as("balance of %d = its deals at %s", login, event.eventId())
                .isEqualTo(balances.getOrDefault(login, BigDecimal.ZERO.setScale(2)));
        assertThat(account.credit()).as("credit of %d = its credit deals at %s", login, event.eventId())
                .isEqualTo(credits.getOrDefault(login, BigDecimal.ZERO.setScale(2)));
        if (balancesNeverNegative) {
            assertThat(account.balance().signum()).as("balance of %d never negative", login).isNotNegative();
        }
        assertThat(account.credit().signum()).as("credit of %d never negative", login).isNotNegative();
        if (event.type().change() == ChangeType.ADDED) {
            assertThat(lastAccount).as("login %d added once", login).doesNotContainKey(login);
        } else {
            assertThat(event.type()).isEqualTo(EventType.ACCOUNT_UPDATED);
            assertThat(lastAccount).as("login %d known before it changes", login).containsKey(login);
            risingVersion("account:" + login, account.updatedAt(), event);
            awaitingAccount.remove(login);
        }
        lastAccount.put(login, event);
    }

    private void risingVersion(String key, Instant version, Mt5Event event) {
        Instant previous = lastVersion.put(key, version);
        if (previous != null) {
            assertThat(version).as("version of %s rises at %s", key, event.eventId()).isAfter(previous);
        }
    }

    /** The end of the stream: no account update owed, every position consistent with its deals. */
    EventLedger finish() {
        assertThat(awaitingAccount).as("account.updated owed at the end").isEmpty();
        for (Map.Entry<Long, BigDecimal> position : positionSums.entrySet()) {
            long ticket = position.getKey();
            if (deletedPositions.contains(ticket)) {
                assertThat(position.getValue().signum()).as("closed position %d sums to zero", ticket).isZero();
            } else {
                assertThat(lastPosition).as("open position %d was reported", ticket).containsKey(ticket);
                assertThat(lastPosition.get(ticket).position().volume())
                        .as("open position %d", ticket).isEqualByComparingTo(position.getValue().abs());
            }
        }
        return this;
    }

    /** The books say exactly what the stream said: accounts, open positions and the full deal history. */
    void assertMatchesBooks(TradeServerSimulator simulator) {
        Map<Long, Mt5Event> accounts = byKey(simulator.accounts(), Mt5Event::login);
        assertThat(accounts.keySet()).isEqualTo(lastAccount.keySet());
        accounts.forEach((login, snapshot) -> assertThat(snapshot).as("snapshot of login %d", login)
                .isEqualTo(lastAccount.get(login)));
        for (Mt5Event account : accounts.values()) {
            long login = account.login();
            assertThat(account.account().balance()).isEqualTo(balances.getOrDefault(login, BigDecimal.ZERO.setScale(2)));
        }
        Map<Long, Mt5Event> open = byKey(simulator.openPositions(), e -> e.position().ticket());
        Set<Long> expectedOpen = new HashSet<>(lastPosition.keySet());
        expectedOpen.removeAll(deletedPositions);
        assertThat(open.keySet()).isEqualTo(expectedOpen);
        open.forEach((ticket, snapshot) -> assertThat(snapshot).as("snapshot of position %d", ticket)
                .isEqualTo(lastPosition.get(ticket)));
        assertThat(simulator.dealHistory(Instant.EPOCH, Instant.parse("2999-01-01T00:00:00Z")))
                .as("deal history = the deals streamed").isEqualTo(deals);
    }

    private static Map<Long, Mt5Event> byKey(List<Mt5Event> events, Function<Mt5Event, Long> key) {
        Map<Long, Mt5Event> map = events.stream().collect(Collectors.toMap(key, e -> e, (a, b) -> {
            throw new AssertionError("two snapshots for one record: " + a.eventId() + ", " + b.eventId());
        }, LinkedHashMap::new));
        return map;
    }

    Set<DealEntry> entries() {
        return entries;
    }

    Set<DealReason> reasons() {
        return reasons;
    }

    Set<DealAction> actions() {
        return actions;
    }

    Set<EventType> types() {
        return types;
    }

    Map<Long, Mt5Event> lastAccounts() {
        return lastAccount;
    }

    List<Mt5Event> deals() {
        return deals;
    }

    int count() {
        return count;
    }

    long openPositionCount() {
        return lastPosition.keySet().stream().filter(t -> !deletedPositions.contains(t)).count();
    }

    static boolean isEntity(Mt5Event event, EntityType entity) {
        return event.type().entity() == entity;
    }
}

package io.mt5crmhub.gateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.EventValidator;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestNotSentException;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;
import io.mt5crmhub.testsupport.CheckpointingListener;
import io.mt5crmhub.testsupport.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every gateway must do, whatever reaches MT5 (the simulator in-process, the Web API, the Manager API): each
 * gateway's test extends this class with a {@link ConformingWorld} of its own, a seeded MT5 world whose books are the
 * truth, and passes the same checks. It is how a new gateway is added safely: it conforms when this suite passes.
 * The world trades at {@link #ACTIONS_PER_SECOND}; every wait is for a condition, bounded.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
abstract class GatewayConformanceTest {

    static final int ACTIONS_PER_SECOND = 150;
    /** How far back every history read of the suite goes from MT5's clock: past the start of any world. */
    private static final Duration HISTORY = Duration.ofDays(2);
    static final Duration WAIT = Duration.ofSeconds(60);
    /** The burst: at least this many events, made by this many of the world's actions (about 190,000 events). */
    static final int BURST_EVENTS = 100_000;
    private static final int BURST_ACTIONS = 40_000;
    /** What a gateway may retain for a hub that takes nothing: far below the burst itself. */
    private static final long BURST_HELD_BYTES = 24_000_000;
    private static final Duration STOOD_STILL = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    ConformingWorld world;

    /** A new MT5 world in {@code dir}, trading at {@code actionsPerSecond}, and the gateway under test reaching it. */
    protected abstract ConformingWorld startWorld(Path dir, int actionsPerSecond) throws Exception;

    @AfterEach
    void closeWorld() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void theLiveStreamCarriesEveryDealTheBooksMakeOnceAndAsTheBooksHaveIt() throws Exception {
        world = startWorld(dir, ACTIONS_PER_SECOND);
        RecordingListener live = new RecordingListener();
        world.gateway().connect(live);
        TradeServerSimulator books = world.books();
        long before = newestTicket(books);

        Map<Long, Mt5Event> expected = awaitDealsAfter(books, before, 300);
        await().atMost(WAIT).untilAsserted(() -> assertThat(live.dealTickets()).containsAll(expected.keySet()));

        assertThat(live.calls()).startsWith("connected");
        List<Mt5Event> deals = live.events(EntityType.DEAL);
        assertThat(deals.stream().filter(e -> e.type().equals(EventType.DEAL_ADDED)).map(Mt5Event::eventId))
                .as("deal.added ids").doesNotHaveDuplicates();
        for (Mt5Event deal : deals) {
            Mt5Event truth = expected.get(deal.deal().ticket());
            if (truth != null) {
                assertSameDeal(deal, truth);
            }
        }
        for (Mt5Event event : live.snapshot()) {
            EventValidator.validate(event);
            assertThat(EventJson.read(EventJson.write(event))).as("JSON round trip").isEqualTo(event);
            assertThat(event.server()).isEqualTo(world.gateway().serverId());
        }
    }

    @Test
    void theStreamCarriesEveryKindOfChangeTheContractNames() throws Exception {
        world = startWorld(dir, ACTIONS_PER_SECOND);
        RecordingListener live = new RecordingListener();
        world.gateway().connect(live);
        Set<EventType> needed = Set.of(EventType.DEAL_ADDED, EventType.ACCOUNT_UPDATED, EventType.POSITION_ADDED,
                EventType.POSITION_UPDATED, EventType.POSITION_DELETED);

        await().atMost(WAIT).until(() -> types(live).containsAll(needed) && entriesAndActions(live).size() >= 4);

        TradeServerSimulator books = world.books();
        // every (action, entry) the books made while connected came through as such
        Set<String> inBooks = allDeals(books).stream()
                .filter(e -> live.dealTickets().contains(e.deal().ticket()))
                .map(e -> e.deal().action() + "/" + e.deal().entry()).collect(Collectors.toSet());
        assertThat(entriesAndActions(live)).containsAll(inBooks);
        assertThat(entriesAndActions(live)).contains("BUY/IN", "SELL/IN");
    }

    @Test
    void historyAndSnapshotsAgreeWithTheBooks() throws Exception {
        world = startWorld(dir, ACTIONS_PER_SECOND);
        world.gateway().connect(new RecordingListener());
        TradeServerSimulator books = world.books();
        awaitDealsAfter(books, 0, 300);

        Instant from = books.clock().minus(HISTORY);
        Instant to = books.clock().plus(Duration.ofDays(1));
        List<List<Mt5Event>> historyReads = world.atOneMoment(() -> List.of(books.dealHistory(from, to),
                world.gateway().dealHistory(from, to)));
        List<Mt5Event> truth = historyReads.get(0);
        List<Mt5Event> answer = historyReads.get(1);
        Map<Long, Mt5Event> byTicket = answer.stream().collect(Collectors.toMap(e -> e.deal().ticket(), e -> e));
        long newest = byTicket.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        assertThat(newest).as("newest deal answered").isGreaterThan(0);
        // MT5 trades on: every deal of the books up to the newest the answer holds must be in it
        for (Mt5Event expected : truth) {
            if (expected.deal().ticket() > newest) {
                continue;
            }
            assertThat(byTicket).as("deal %d in the history", expected.deal().ticket())
                    .containsKey(expected.deal().ticket());
            assertSameDeal(byTicket.get(expected.deal().ticket()), expected);
        }
        assertThat(answer).isSortedAccordingTo((a, b) -> a.occurredAt().compareTo(b.occurredAt()));

        // MT5 trades on while the snapshots are read: what did not change in between must be equal
        List<Map<Long, Mt5Event>> accountReads = world.atOneMoment(() -> List.of(byLogin(books.accounts()),
                byLogin(world.gateway().accounts()), byLogin(books.accounts())));
        Map<Long, Mt5Event> accountsBefore = accountReads.get(0);
        Map<Long, Mt5Event> accounts = accountReads.get(1);
        Map<Long, Mt5Event> accountsAfter = accountReads.get(2);
        assertThat(accounts.keySet()).as("logins").containsAll(accountsBefore.keySet());
        assertThat(accountsAfter.keySet()).as("logins the books had").containsAll(accounts.keySet());
        int compared = 0;
        for (Map.Entry<Long, Mt5Event> entry : accountsBefore.entrySet()) {
            if (entry.getValue().equals(accountsAfter.get(entry.getKey()))) {
                Mt5Event account = accounts.get(entry.getKey());
                assertThat(account.group()).isEqualTo(entry.getValue().group());
                assertThat(account.account().balance()).isEqualByComparingTo(entry.getValue().account().balance());
                assertThat(account.account().credit()).isEqualByComparingTo(entry.getValue().account().credit());
                compared++;
            }
        }
        assertThat(compared).as("accounts unchanged while read").isGreaterThan(accountsBefore.size() / 2);

        List<Set<Long>> positionReads = world.atOneMoment(() -> List.of(tickets(books.openPositions()),
                tickets(world.gateway().openPositions()), tickets(books.openPositions())));
        Set<Long> openBefore = positionReads.get(0);
        Set<Long> open = positionReads.get(1);
        Set<Long> openAfter = positionReads.get(2);
        Set<Long> stayedOpen = new HashSet<>(openBefore);
        stayedOpen.retainAll(openAfter);
        assertThat(open).as("open positions").containsAll(stayedOpen);
        Set<Long> openedOrStayed = new HashSet<>(openBefore);
        openedOrStayed.addAll(openAfter);
        assertThat(openedOrStayed).as("no position the books never had open").containsAll(open);
    }

    @Test
    void aReconnectAndItsBackFillMissNothing() throws Exception {
        world = startWorld(dir, ACTIONS_PER_SECOND);
        RecordingListener first = new RecordingListener();
        world.gateway().connect(first);
        TradeServerSimulator books = world.books();
        long before = newestTicket(books);
        Set<Long> made = awaitDealsAfter(books, before, 100).keySet();
        await().atMost(WAIT).until(() -> first.dealTickets().containsAll(made));
        Mt5Event lastSeen = last(first.events(EntityType.DEAL));

        world.gateway().disconnect();
        assertThat(world.gateway().isConnected()).as("connected after disconnect").isFalse();
        RecordingListener second = new RecordingListener();
        world.gateway().connect(second);
        assertThat(world.gateway().isConnected()).isTrue();
        TradeServerSimulator booksAgain = world.books();
        long reconnectedAt = newestTicket(booksAgain);
        awaitDealsAfter(booksAgain, reconnectedAt, 100);

        // what the hub does after a reconnect: the history from the last deal it saw
        Set<Long> got = new TreeSet<>(first.dealTickets());
        got.addAll(tickets(world.gateway().dealHistory(lastSeen.occurredAt(),
                booksAgain.clock().plus(Duration.ofDays(1)))));
        await().atMost(WAIT).untilAsserted(() -> {
            Set<Long> all = new TreeSet<>(got);
            all.addAll(second.dealTickets());
            Set<Long> between = allDeals(booksAgain)
                    .stream().map(e -> e.deal().ticket()).filter(t -> t > before && t <= reconnectedAt)
                    .collect(Collectors.toSet());
            assertThat(all).as("deals made between the first connect and the reconnect").containsAll(between);
        });
        assertThat(second.calls()).startsWith("connected");
    }

    @Test
    void aGatewayStartedAfreshFromTheCheckpointOfAStoppedOneMissesNothing() throws Exception {
        world = startWorld(dir, ACTIONS_PER_SECOND);
        Mt5EventSource first = world.gateway();
        CheckpointingListener before = new CheckpointingListener(first);
        first.connect(before);
        TradeServerSimulator books = world.books();
        long start = newestTicket(books);
        Set<Long> made = awaitDealsAfter(books, start, 100).keySet();
        await().atMost(WAIT).until(() -> before.seen().containsAll(made));

        Mt5EventSource second = world.restartGateway(); // the hub stopped, and started again with its checkpoint
        assertThat(second).isNotSameAs(first);
        assertThat(first.isConnected()).as("the stopped gateway").isFalse();
        CheckpointingListener after = CheckpointingListener.resumingFrom(second, before.checkpoint());
        second.connect(after);
        TradeServerSimulator booksAgain = world.books();
        long mark = awaitDealsAfter(booksAgain, newestTicket(booksAgain), 100).keySet().stream()
                .mapToLong(Long::longValue).max().orElseThrow();

        Set<Long> expected = allDeals(booksAgain).stream().map(e -> e.deal().ticket())
                .filter(t -> t > start && t <= mark).collect(Collectors.toSet());
        await().atMost(WAIT).untilAsserted(() -> {
            Set<Long> seen = new TreeSet<>(before.seen());
            seen.addAll(after.seen());
            assertThat(seen).as("deals made before, across and after the restart").containsAll(expected);
        });
        assertThat(after.calls()).startsWith("connected");
        // MT5 may drop the link meanwhile (a busy machine): each reconnect back-fills once more, and says why
        assertThat(after.backfills()).as("the back-fill from the stored checkpoint, then one per reconnect: %s",
                after.calls()).hasSize(1 + (int) after.disconnects());
        assertThat(after.failures()).isEmpty();
        assertThat(before.repeatedDealAdds() + after.repeatedDealAdds()).as("deals sent live twice").isZero();
    }

    /**
     * MT5 trading as fast as it can into a hub that takes nothing: the gateway holds a bounded part of the burst
     * (or holds MT5 back, when MT5 runs in the hub's process), and once the hub takes again every deal of the burst
     * arrives, live or through the back-fill the gateway asks for when it had to drop.
     */
    @Test
    @Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
    void aBurstIntoAStalledHubIsHeldWithinBoundsAndArrivesWhole() throws Exception {
        world = startWorld(dir, 0);
        Mt5EventSource gateway = world.gateway();
        CheckpointingListener hub = new CheckpointingListener(gateway);
        long heapBefore = retainedHeap();
        hub.close();
        gateway.connect(hub);
        TradeServerSimulator books = world.books();
        long firstAction = books.actionCount();
        long firstEvent = books.eventCount();
        long connectedAt = newestTicket(books); // MT5 may have traded before: that is the back-fill's, not the burst's

        long[] lastCount = {-1};
        long[] movedAt = {System.nanoTime()};
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250)).until(() -> {
            long count = books.actionCount();
            if (count != lastCount[0]) {
                lastCount[0] = count;
                movedAt[0] = System.nanoTime();
            }
            return count - firstAction >= BURST_ACTIONS
                    || System.nanoTime() - movedAt[0] > STOOD_STILL.toNanos(); // held back by the stalled hub
        });
        long madeWhileStalled = books.actionCount() - firstAction;
        long held = retainedHeap() - heapBefore;
        System.out.printf("conformance burst | %s | %,d actions made while the hub took nothing, %.1f MB more heap"
                + " retained then, %,d dropped by the gateway%n", gateway.kind(), madeWhileStalled, held / 1e6,
                gateway.droppedEvents());

        hub.open();
        await().atMost(Duration.ofMinutes(4)).until(() -> books.actionCount() - firstAction >= BURST_ACTIONS);
        long mark = newestTicket(books);
        long made = books.eventCount() - firstEvent;
        Set<Long> burst = allDeals(books).stream().map(e -> e.deal().ticket())
                .filter(t -> t > connectedAt && t <= mark).collect(Collectors.toCollection(TreeSet::new));
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<Long> missing = new TreeSet<>(burst);
            missing.removeAll(hub.seen());
            assertThat(missing).as("deals of the burst not arrived (of %d; checkpoint %s, MT5 clock %s, calls %s)",
                    burst.size(), hub.checkpoint(), books.clock(), hub.calls()).isEmpty();
        });

        System.out.printf("conformance burst | %s | MT5 made %,d events; all %,d deals of the burst arrived: %,d live"
                + " events, %d back-fills, %,d dropped by the gateway%n", gateway.kind(), made, burst.size(),
                hub.events(), hub.backfills().size(),
                gateway.droppedEvents());
        assertThat(made).as("events MT5 made in the burst").isGreaterThanOrEqualTo(BURST_EVENTS);
        assertThat(held).as("heap retained for a hub that took nothing").isLessThan(BURST_HELD_BYTES);
        assertThat(hub.failures()).isEmpty();
        assertThat(hub.repeatedDealAdds()).as("deals sent live twice").isZero();
    }

    @Test
    void aBalanceOperationIsDoneRefusedOrUnknownAndAnUnknownOneIsFoundNotSentAgain() throws Exception {
        world = startWorld(dir, ACTIONS_PER_SECOND);
        RecordingListener live = new RecordingListener();
        world.gateway().connect(live);
        TradeServerSimulator books = world.books();
        long login = books.accounts().get(0).login();
        Instant since = books.clock().minus(Duration.ofMinutes(1));

        BalanceResult done = world.dealer().balance(new BalanceOrder(login, DealAction.BALANCE,
                new BigDecimal("125.50"), "crm:conf-1"));
        assertThat(done.isDone()).isTrue();
        assertThat(done.retcode()).isEqualTo(Mt5Retcode.REQUEST_DONE);
        await().atMost(WAIT).until(() -> live.dealTickets().contains(done.dealTicket()));
        Mt5Event deposit = live.events(EntityType.DEAL).stream()
                .filter(e -> e.deal().ticket() == done.dealTicket()).findFirst().orElseThrow();
        assertThat(deposit.login()).isEqualTo(login);
        assertThat(deposit.deal().action()).isEqualTo(DealAction.BALANCE);
        assertThat(deposit.deal().comment()).isEqualTo("crm:conf-1");
        assertThat(deposit.deal().profit()).isEqualByComparingTo("125.50");

        BalanceResult refused = world.dealer().balance(new BalanceOrder(login, DealAction.BALANCE,
                new BigDecimal("-900000000"), "crm:conf-2"));
        assertThat(refused.isDone()).isFalse();
        assertThat(refused.retcode()).isIn(Mt5Retcode.REQUEST_NO_MONEY, Mt5Retcode.TRADE_MAX_MONEY);
        assertThat(world.dealer().findDeals(login, "crm:conf-2", since)).as("a refused operation's deal").isEmpty();

        world.loseNextBalanceAnswer();
        assertThatThrownBy(() -> world.dealer().balance(new BalanceOrder(login, DealAction.BALANCE,
                new BigDecimal("7.25"), "crm:conf-3")))
                .as("an answer that never came: the outcome is unknown, the request may have been applied")
                .isInstanceOf(GatewayException.class).isNotInstanceOf(RequestNotSentException.class);
        List<Mt5Event> found = world.dealer().findDeals(login, "crm:conf-3", since);
        assertThat(found).as("the unknown operation, looked up").hasSize(1);
        assertThat(found.get(0).deal().profit()).isEqualByComparingTo("7.25");
        assertThat(world.dealer().findDeals(login, "crm:conf-1", since)).extracting(e -> e.deal().ticket())
                .containsExactly(done.dealTicket());
    }

    // --- support ------------------------------------------------------------------------------------------------

    /** Waits until the books hold {@code atLeast} deals with a ticket above {@code after}; returns them by ticket. */
    /** The heap in use after full collections: what is retained. */
    private static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            memory.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static Map<Long, Mt5Event> awaitDealsAfter(TradeServerSimulator books, long after, int atLeast) {
        Map<Long, Mt5Event> deals = new HashMap<>();
        await().atMost(WAIT).until(() -> {
            deals.clear();
            for (Mt5Event e : allDeals(books)) {
                if (e.deal().ticket() > after) {
                    deals.put(e.deal().ticket(), e);
                }
            }
            return deals.size() >= atLeast;
        });
        return deals;
    }

    /** Every deal of the books, as MT5's own history request answers it. */
    static List<Mt5Event> allDeals(TradeServerSimulator books) {
        return books.dealHistory(books.clock().minus(HISTORY), books.clock().plus(Duration.ofDays(1)));
    }

    static long newestTicket(TradeServerSimulator books) {
        return allDeals(books).stream()
                .mapToLong(e -> e.deal().ticket()).max().orElse(0);
    }

    private static void assertSameDeal(Mt5Event actual, Mt5Event expected) {
        String what = "deal " + expected.deal().ticket();
        assertThat(actual.login()).as(what).isEqualTo(expected.login());
        assertThat(actual.group()).as(what).isEqualTo(expected.group());
        assertThat(actual.occurredAt()).as(what).isEqualTo(expected.occurredAt());
        assertThat(actual.deal().action()).as(what).isEqualTo(expected.deal().action());
        assertThat(actual.deal().entry()).as(what).isEqualTo(expected.deal().entry());
        assertThat(actual.deal().reason()).as(what).isEqualTo(expected.deal().reason());
        assertThat(actual.deal().order()).as(what).isEqualTo(expected.deal().order());
        assertThat(actual.deal().positionId()).as(what).isEqualTo(expected.deal().positionId());
        assertThat(actual.deal().symbol()).as(what).isEqualTo(expected.deal().symbol());
        assertThat(actual.deal().volume()).as(what).isEqualByComparingTo(expected.deal().volume());
        assertThat(actual.deal().price()).as(what).isEqualByComparingTo(expected.deal().price());
        assertThat(actual.deal().profit()).as(what).isEqualByComparingTo(expected.deal().profit());
        assertThat(actual.deal().commission()).as(what).isEqualByComparingTo(expected.deal().commission());
        assertThat(actual.deal().swap()).as(what).isEqualByComparingTo(expected.deal().swap());
        assertThat(actual.deal().fee()).as(what).isEqualByComparingTo(expected.deal().fee());
        assertThat(actual.deal().comment()).as(what).isEqualTo(expected.deal().comment());
    }

    private static Set<EventType> types(RecordingListener live) {
        return live.snapshot().stream().map(Mt5Event::type).collect(Collectors.toSet());
    }

    private static Set<String> entriesAndActions(RecordingListener live) {
        return live.events(EntityType.DEAL).stream().map(e -> e.deal().action() + "/" + e.deal().entry())
                .collect(Collectors.toSet());
    }

    private static Map<Long, Mt5Event> byLogin(List<Mt5Event> accounts) {
        return accounts.stream().collect(Collectors.toMap(Mt5Event::login, e -> e));
    }

    private static Set<Long> tickets(List<Mt5Event> events) {
        return events.stream().map(e -> e.entity() == EntityType.DEAL ? e.deal().ticket() : e.position().ticket())
                .collect(Collectors.toSet());
    }

    private static Mt5Event last(List<Mt5Event> events) {
        return events.get(events.size() - 1);
    }
}

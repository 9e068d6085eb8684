package io.mt5crmhub.gateway.simulator;

import static io.mt5crmhub.gateway.simulator.SimTestSupport.SERVER;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.run;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;

/** A long run at rate 0: every event, every login and every position (closed ones too) is checked. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorInvariantsTest {

    private static final int EVENTS = 20_000;

    private List<Mt5Event> events;
    private EventLedger ledger;
    private Map<Long, String> clients;
    private List<Mt5Event> accounts;

    @BeforeAll
    void runLong(@TempDir Path dataDir) {
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings(dataDir))) {
            events = run(simulator, EVENTS);
            ledger = new EventLedger().acceptAll(events).finish();
            ledger.assertMatchesBooks(simulator);
            clients = simulator.clientIdsByLogin();
            accounts = simulator.accounts();
        }
    }

    @Test
    void everyEventIsValidRoundTripsAndKeepsTheBooksConsistent() {
        // the ledger checked each event as it came; here: it saw them all
        assertThat(ledger.count()).isEqualTo(events.size()).isGreaterThanOrEqualTo(EVENTS);
        assertThat(ledger.openPositionCount()).isPositive();
    }

    @Test
    void everyMt5ShapeAppears() {
        assertThat(ledger.entries()).containsExactlyInAnyOrder(DealEntry.values());
        assertThat(ledger.reasons()).contains(DealReason.CLIENT, DealReason.EXPERT, DealReason.DEALER, DealReason.SL,
                DealReason.TP, DealReason.SO);
        assertThat(ledger.actions()).contains(DealAction.BUY, DealAction.SELL, DealAction.BALANCE, DealAction.CREDIT,
                DealAction.BONUS, DealAction.COMMISSION, DealAction.CHARGE, DealAction.AGENT);
        assertThat(ledger.types()).contains(EventType.DEAL_ADDED, EventType.POSITION_ADDED,
                EventType.POSITION_UPDATED, EventType.POSITION_DELETED, EventType.ACCOUNT_ADDED,
                EventType.ACCOUNT_UPDATED);
    }

    @Test
    void withdrawalsCreditRemovalsAndFeesHappenAlongsideDeposits() {
        assertThat(ledger.deals()).anyMatch(e -> e.deal().action() == DealAction.BALANCE && e.deal().profit().signum() < 0)
                .anyMatch(e -> e.deal().action() == DealAction.BALANCE && e.deal().profit().signum() > 0)
                .anyMatch(e -> e.deal().action() == DealAction.CREDIT && e.deal().profit().signum() < 0)
                .anyMatch(e -> e.deal().action() == DealAction.CHARGE && e.deal().profit().signum() < 0);
    }

    @Test
    void theWorldIsClientsWithSeveralLoginsInRealAndDemoGroups() {
        assertThat(clients.keySet()).allMatch(login -> login >= Books.FIRST_LOGIN);
        assertThat(clients.values()).contains("C-1001", "C-1050").allMatch(c -> c.matches("C-1\\d{3}"));
        assertThat(clients.values().stream().distinct().count()).isEqualTo(50);
        Map<String, Long> perClient = clients.values().stream()
                .collect(java.util.stream.Collectors.groupingBy(c -> c, java.util.stream.Collectors.counting()));
        assertThat(perClient.values()).allMatch(n -> n >= 1 && n <= 3).anyMatch(n -> n > 1);
        assertThat(accounts).extracting(Mt5Event::group).contains("real\\usd", "real\\eur", "real\\netting",
                "demo\\usd", "demo\\eur");
        assertThat(accounts).filteredOn(a -> a.group().endsWith("eur")).extracting(a -> a.account().currency())
                .containsOnly("EUR");
        assertThat(accounts).filteredOn(a -> a.account().agent() != 0).isNotEmpty()
                .allSatisfy(a -> assertThat(clients).containsKey(a.account().agent()));
    }

    @Test
    void everyLoginStartsWithAnInitialDepositByTheDealer() {
        for (Long login : clients.keySet()) {
            Mt5Event first = ledger.deals().stream().filter(d -> d.login() == login).findFirst().orElseThrow();
            assertThat(first.deal().action()).isEqualTo(DealAction.BALANCE);
            assertThat(first.deal().reason()).isEqualTo(DealReason.DEALER);
            assertThat(first.deal().profit()).isPositive();
        }
    }

    @Test
    void agentDealsPayTheIbOfTheTradingLogin() {
        List<Mt5Event> agentDeals = ledger.deals().stream().filter(d -> d.deal().action() == DealAction.AGENT).toList();
        assertThat(agentDeals).isNotEmpty();
        for (Mt5Event agentDeal : agentDeals) {
            long paidFor = Long.parseLong(agentDeal.deal().comment().substring("agent #".length()));
            Mt5Event trade = ledger.deals().stream().filter(d -> d.deal().ticket() == paidFor).findFirst().orElseThrow();
            long agent = ledger.lastAccounts().get(trade.login()).account().agent();
            assertThat(agentDeal.login()).isEqualTo(agent);
            assertThat(agentDeal.deal().profit()).isGreaterThan(BigDecimal.ZERO);
        }
    }
}

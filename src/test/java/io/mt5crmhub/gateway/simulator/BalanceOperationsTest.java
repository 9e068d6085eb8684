package io.mt5crmhub.gateway.simulator;

import static io.mt5crmhub.gateway.simulator.SimTestSupport.SERVER;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.runActions;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;

/** MT5 DealerBalance semantics: every refusal code, the success path, and balance calls racing the generator. */
class BalanceOperationsTest {

    @TempDir
    Path dir;

    private TradeServerSimulator simulator;
    private EventLedger ledger;

    @BeforeEach
    void openWithSomeHistory() {
        simulator = TradeServerSimulator.open(SERVER, settings(dir));
        ledger = new EventLedger(false).acceptAll(runActions(simulator, 400));
    }

    @AfterEach
    void close() {
        simulator.close();
    }

    @Test
    void aDepositIsADealerDealWithTheCommentFollowedByTheAccountUpdate() throws GatewayException {
        long login = firstLogin();
        BigDecimal before = account(login).balance();
        Instant since = simulator.clock();

        BalanceResult result = simulator.balance(new BalanceOrder(login, DealAction.BALANCE, new BigDecimal("150.25"),
                "crm:TX-1"));

        assertThat(result.isDone()).isTrue();
        assertThat(result.retcode()).isEqualTo(Mt5Retcode.REQUEST_DONE);
        List<Mt5Event> events = simulator.takeEvents();
        ledger.acceptAll(events).finish();
        assertThat(events).extracting(Mt5Event::type).containsExactly(EventType.DEAL_ADDED, EventType.ACCOUNT_UPDATED);
        Mt5Event deal = events.get(0);
        assertThat(deal.login()).isEqualTo(login);
        assertThat(deal.deal().ticket()).isEqualTo(result.dealTicket());
        assertThat(deal.deal().action()).isEqualTo(DealAction.BALANCE);
        assertThat(deal.deal().reason()).isEqualTo(DealReason.DEALER);
        assertThat(deal.deal().comment()).isEqualTo("crm:TX-1");
        assertThat(deal.deal().profit()).isEqualTo(new BigDecimal("150.25"));
        assertThat(events.get(1).account().balance()).isEqualTo(before.add(new BigDecimal("150.25")));
        assertThat(account(login).balance()).isEqualTo(before.add(new BigDecimal("150.25")));
        assertThat(simulator.findDeals(login, "crm:TX-1", since)).containsExactly(deal);
        assertThat(simulator.findDeals(login, "crm:TX-1", deal.occurredAt().plusMillis(1))).isEmpty();
        assertThat(simulator.findDeals(login, "crm:TX-2", since)).isEmpty();
        assertThat(simulator.dealHistory(deal.occurredAt(), deal.occurredAt())).containsExactly(deal);
        ledger.assertMatchesBooks(simulator);
    }

    @Test
    void aWithdrawalWithinTheFreeMarginIsDone() throws GatewayException {
        long login = firstLogin();
        BigDecimal available = account(login).balance().min(simulator.freeMargin(login));
        BalanceResult result = simulator.balance(new BalanceOrder(login, DealAction.BALANCE, available.negate(), "wd:1"));
        assertThat(result.isDone()).isTrue();
        ledger.acceptAll(simulator.takeEvents()).finish().assertMatchesBooks(simulator);
    }

    @ParameterizedTest
    @EnumSource(names = { "BALANCE", "CREDIT", "CHARGE", "CORRECTION", "BONUS", "COMMISSION", "TAX", "DIVIDEND",
        "DIVIDEND_FRANKED" })
    void everyBalanceTypeIsAccepted(DealAction type) throws GatewayException {
        long login = firstLogin();
        Account before = account(login);
        BalanceResult result = simulator.balance(new BalanceOrder(login, type, new BigDecimal("10"), "t:" + type));
        assertThat(result.isDone()).isTrue();
        List<Mt5Event> events = simulator.takeEvents();
        ledger.acceptAll(events).finish();
        assertThat(events.get(0).deal().action()).isEqualTo(type);
        assertThat(events.get(0).deal().profit()).isEqualTo(new BigDecimal("10.00"));
        Account after = account(login);
        if (type == DealAction.CREDIT) {
            assertThat(after.credit()).isEqualTo(before.credit().add(new BigDecimal("10.00")));
            assertThat(after.balance()).isEqualTo(before.balance());
        } else {
            assertThat(after.balance()).isEqualTo(before.balance().add(new BigDecimal("10.00")));
        }
    }

    @ParameterizedTest
    @EnumSource(names = { "BUY", "SELL", "AGENT", "AGENT_DAILY", "COMMISSION_DAILY", "INTERESTRATE",
        "SO_COMPENSATION" })
    void otherDealTypesAreInvalidParameters(DealAction type) throws GatewayException {
        assertRefused(new BalanceOrder(firstLogin(), type, BigDecimal.TEN, "x"), Mt5Retcode.ERR_PARAMS);
    }

    @Test
    void aZeroAmountIsInvalid() throws GatewayException {
        assertRefused(new BalanceOrder(firstLogin(), DealAction.BALANCE, BigDecimal.ZERO, "x"), Mt5Retcode.ERR_PARAMS);
        assertRefused(new BalanceOrder(firstLogin(), DealAction.BALANCE, new BigDecimal("0.004"), "x"),
                Mt5Retcode.ERR_PARAMS);
    }

    @Test
    void aCommentOfMoreThan32CharactersIsInvalid() throws GatewayException {
        BalanceResult refused = assertRefused(new BalanceOrder(firstLogin(), DealAction.BALANCE, BigDecimal.TEN,
                "x".repeat(33)), Mt5Retcode.ERR_PARAMS);
        assertThat(refused.message()).contains("comment").contains("32");
        assertThat(simulator.balance(new BalanceOrder(firstLogin(), DealAction.BALANCE, BigDecimal.TEN, "y".repeat(32)))
                .isDone()).isTrue();
    }

    @Test
    void anUnknownLoginIsNotFound() throws GatewayException {
        assertRefused(new BalanceOrder(9_999_999, DealAction.BALANCE, BigDecimal.TEN, "x"), Mt5Retcode.ERR_NOTFOUND);
    }

    @Test
    void moreThanABillionInOneOperationIsRefused() throws GatewayException {
        assertRefused(new BalanceOrder(firstLogin(), DealAction.BALANCE, new BigDecimal("1000000000.01"), "x"),
                Mt5Retcode.TRADE_MAX_MONEY);
        assertRefused(new BalanceOrder(firstLogin(), DealAction.CORRECTION, new BigDecimal("-1000000000.01"), "x"),
                Mt5Retcode.TRADE_MAX_MONEY);
        assertThat(simulator.balance(new BalanceOrder(firstLogin(), DealAction.BALANCE, new BigDecimal("1000000000"),
                "max")).isDone()).isTrue();
    }

    @Test
    void withdrawingMoreThanTheBalanceIsRefused() throws GatewayException {
        long login = firstLogin();
        BigDecimal balance = account(login).balance();
        assertRefused(new BalanceOrder(login, DealAction.BALANCE, balance.add(new BigDecimal("0.01")).negate(), "x"),
                Mt5Retcode.REQUEST_NO_MONEY);
    }

    @Test
    void withdrawingMoreThanTheFreeMarginIsRefusedEvenWithinTheBalance() throws GatewayException {
        long login = loginWhoseFreeMarginIsBelowItsBalance();
        BigDecimal free = simulator.freeMargin(login);
        assertRefused(new BalanceOrder(login, DealAction.BALANCE, free.add(new BigDecimal("0.01")).negate(), "x"),
                Mt5Retcode.REQUEST_NO_MONEY);
        assertRefused(new BalanceOrder(login, DealAction.CHARGE, free.add(new BigDecimal("0.01")).negate(), "x"),
                Mt5Retcode.REQUEST_NO_MONEY);
        assertThat(simulator.balance(new BalanceOrder(login, DealAction.BALANCE, free.negate(), "ok")).isDone()).isTrue();
    }

    @Test
    void removingMoreCreditThanTheLoginHasIsRefused() throws GatewayException {
        long login = firstLogin();
        simulator.balance(new BalanceOrder(login, DealAction.CREDIT, new BigDecimal("100"), "credit in"));
        ledger.acceptAll(simulator.takeEvents());
        BigDecimal credit = account(login).credit();
        assertRefused(new BalanceOrder(login, DealAction.CREDIT, credit.add(new BigDecimal("0.01")).negate(), "x"),
                Mt5Retcode.REQUEST_NO_MONEY);
        assertThat(simulator.balance(new BalanceOrder(login, DealAction.CREDIT, credit.negate(), "credit out"))
                .isDone()).isTrue();
        assertThat(account(login).credit().signum()).isZero();
    }

    @Test
    void aCorrectionSkipsTheMoneyCheck() throws GatewayException {
        long login = firstLogin();
        BigDecimal balance = account(login).balance();
        BigDecimal correction = balance.add(new BigDecimal("100")).negate();
        assertThat(simulator.balance(new BalanceOrder(login, DealAction.CORRECTION, correction, "fix")).isDone()).isTrue();
        assertThat(account(login).balance()).isEqualTo(new BigDecimal("-100.00"));
        ledger.acceptAll(simulator.takeEvents()).finish().assertMatchesBooks(simulator);
    }

    @Test
    void balanceCallsFromOtherThreadsInterleaveSafelyWithTheGenerator() throws Exception {
        List<Long> logins = new ArrayList<>(simulator.clientIdsByLogin().keySet());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<BalanceResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                long login = logins.get(i % logins.size());
                String comment = "crm:race-" + i;
                results.add(pool.submit((Callable<BalanceResult>) () -> simulator.balance(
                        new BalanceOrder(login, DealAction.BALANCE, new BigDecimal("5"), comment))));
            }
            List<Mt5Event> events = new ArrayList<>();
            while (!results.stream().allMatch(Future::isDone)) {
                events.addAll(simulator.step());
            }
            events.addAll(simulator.step());
            ledger.acceptAll(events).finish().assertMatchesBooks(simulator);
            for (int i = 0; i < results.size(); i++) {
                long ticket = results.get(i).get().dealTicket();
                String comment = "crm:race-" + i;
                assertThat(events).filteredOn(e -> e.deal() != null && e.deal().ticket() == ticket)
                        .singleElement().satisfies(e -> assertThat(e.deal().comment()).isEqualTo(comment));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private BalanceResult assertRefused(BalanceOrder order, int retcode) throws GatewayException {
        Account before = account(order.login() == 9_999_999 ? firstLogin() : order.login());
        long actions = simulator.actionCount();
        Instant clock = simulator.clock();
        BalanceResult result = simulator.balance(order);
        assertThat(result.retcode()).as(result.message()).isEqualTo(retcode);
        assertThat(result.isDone()).isFalse();
        assertThat(result.dealTicket()).isZero();
        assertThat(result.message()).isNotBlank();
        assertThat(simulator.takeEvents()).as("a refusal changes nothing").isEmpty();
        assertThat(account(order.login() == 9_999_999 ? firstLogin() : order.login())).isEqualTo(before);
        assertThat(simulator.clock()).isEqualTo(clock);
        assertThat(simulator.actionCount()).isEqualTo(actions);
        return result;
    }

    private long firstLogin() {
        return simulator.clientIdsByLogin().keySet().iterator().next();
    }

    private Account account(long login) {
        return simulator.accounts().stream().filter(a -> a.login() == login).findFirst().orElseThrow().account();
    }

    private long loginWhoseFreeMarginIsBelowItsBalance() {
        return simulator.openPositions().stream().map(Mt5Event::login).distinct()
                .filter(login -> simulator.freeMargin(login).signum() > 0
                        && simulator.freeMargin(login).compareTo(account(login).balance()) < 0)
                .findFirst().orElseThrow();
    }
}

package io.mt5crmhub.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exactly-once state machine against the simulated MT5 books. */
class BalanceServiceTest {

    @TempDir
    Path dir;

    private HubDatabase database;
    private BalanceRequestStore store;
    private BalanceService service;
    private SimulatedMt5 mt5;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabases.h2InMemory(10);
        store = new BalanceRequestStore(database.dataSource(), database.dialect(), Clock.systemUTC());
        List<BalanceService> holder = new ArrayList<>(1);
        mt5 = new SimulatedMt5(dir, event -> {
            try {
                if (!holder.isEmpty()) {
                    holder.get(0).onDeal(event);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        service = new BalanceService(store, mt5, Clock.systemUTC(), Duration.ofSeconds(30));
        holder.add(service);
    }

    @AfterEach
    void close() {
        mt5.close();
        database.close();
    }

    @Test
    void aDepositIsSentOnceAndConfirmedWhenItsDealComesBack() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        BigDecimal before = mt5.balanceOf(login);

        BalanceOperation op = service.submit(deposit("TX-1001", login, "250.00"));

        assertThat(op.state()).isIn(BalanceState.SENT, BalanceState.CONFIRMED);
        assertThat(op.dealTicket()).isPositive();
        assertThat(op.reference()).isEqualTo("crm:TX-1001");
        BalanceOperation confirmed = await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find("TX-1001").orElseThrow(), o -> o.state() == BalanceState.CONFIRMED);
        assertThat(confirmed.dealTicket()).isEqualTo(op.dealTicket());
        assertThat(confirmed.retcode()).isEqualTo(Mt5Retcode.REQUEST_DONE);
        assertThat(mt5.balanceOf(login)).isEqualByComparingTo(before.add(new BigDecimal("250.00")));
        assertThat(mt5.dealsWithComment(login, "crm:TX-1001")).isEqualTo(1);
    }

    @Test
    void twentyConcurrentPostsOfOneCrmTxnIdMakeExactlyOneDeal() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        BalanceRequest request = deposit("TX-CONC-1", login, "100.00");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<BalanceOperation>> posts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            posts.add(() -> {
                start.await();
                return service.submit(request);
            });
        }
        List<Future<BalanceOperation>> results = posts.stream().map(pool::submit).toList();
        start.countDown();
        List<BalanceOperation> answers = new ArrayList<>();
        for (Future<BalanceOperation> f : results) {
            answers.add(f.get());
        }
        pool.shutdown();

        assertThat(mt5.dealsWithComment(login, "crm:TX-CONC-1")).isEqualTo(1);
        assertThat(answers).extracting(BalanceOperation::dealTicket).containsOnly(answers.get(0).dealTicket())
                .doesNotContainNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find("TX-CONC-1").orElseThrow().state()
                == BalanceState.CONFIRMED);
    }

    @Test
    void theSameCrmTxnIdWithOtherParametersIsAConflictAndNothingIsSent() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        service.submit(deposit("TX-9", login, "10.00"));

        assertThatThrownBy(() -> service.submit(deposit("TX-9", login, "11.00")))
                .isInstanceOf(BalanceConflictException.class).hasMessageContaining("TX-9");
        assertThat(service.submit(deposit("TX-9", login, "10.0")).amount()).isEqualByComparingTo("10.00");
        assertThat(mt5.dealsWithComment(login, "crm:TX-9")).isEqualTo(1);
    }

    @Test
    void aLostAnswerAfterMt5AppliedTheDepositIsLookedUpNeverSentAgainAndEndsConfirmed() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        BigDecimal before = mt5.balanceOf(login);
        mt5.gateway.faults().dropNextBalanceAnswers(1);

        BalanceOperation op = service.submit(deposit("TX-LOST", login, "75.50"));
        BalanceOperation again = service.submit(deposit("TX-LOST", login, "75.50"));

        assertThat(op.state()).isEqualTo(BalanceState.CONFIRMED);
        assertThat(op.dealTicket()).isPositive();
        assertThat(again.state()).isEqualTo(BalanceState.CONFIRMED);
        assertThat(mt5.dealsWithComment(login, "crm:TX-LOST")).isEqualTo(1);
        assertThat(mt5.balanceOf(login)).isEqualByComparingTo(before.add(new BigDecimal("75.50")));
    }

    @Test
    void aRequestLostOnTheWayStaysUnknownAndIsNeverSentAgain() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        mt5.gateway.faults().failNextBalanceRequests(1);

        BalanceOperation op = service.submit(deposit("TX-GONE", login, "5.00"));
        BalanceOperation again = service.submit(deposit("TX-GONE", login, "5.00"));
        service.resolvePending();

        assertThat(op.state()).isEqualTo(BalanceState.UNKNOWN);
        assertThat(op.retcode()).isEqualTo(Mt5Retcode.ERR_CONNECTION);
        assertThat(op.reason()).startsWith("outcome unknown");
        assertThat(again.state()).isEqualTo(BalanceState.UNKNOWN);
        assertThat(store.find("TX-GONE").orElseThrow().state()).isEqualTo(BalanceState.UNKNOWN);
        assertThat(mt5.dealsWithComment(login, "crm:TX-GONE")).isZero();
    }

    @Test
    void aCallThatProvablyNeverLeftGoesBackToReceivedAndIsSentOnceLater() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        BigDecimal before = mt5.balanceOf(login);
        mt5.gateway.faults().refuseNextConnections(1);

        BalanceOperation op = service.submit(deposit("TX-REFUSED", login, "12.00"));

        assertThat(op.state()).isEqualTo(BalanceState.RECEIVED);
        assertThat(op.reason()).startsWith("not sent yet").contains("refused the connection");
        assertThat(mt5.dealsWithComment(login, "crm:TX-REFUSED")).isZero();

        service.resolvePending();
        service.resolvePending();

        assertThat(mt5.dealsWithComment(login, "crm:TX-REFUSED")).isEqualTo(1);
        assertThat(store.find("TX-REFUSED").orElseThrow().state()).isIn(BalanceState.SENT, BalanceState.CONFIRMED);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find("TX-REFUSED").orElseThrow().state()
                == BalanceState.CONFIRMED);
        assertThat(mt5.balanceOf(login)).isEqualByComparingTo(before.add(new BigDecimal("12.00")));
    }

    @Test
    void closingAnUnknownOperationLooksTheDealUpOnceMoreAndConfirmsItWhenMt5HasIt() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        BalanceOperation op = BalanceOperation.received(deposit("TX-FOUND", login, "4.00"), Clock.systemUTC().instant());
        store.insertIfAbsent(op);
        store.markSent("TX-FOUND");
        store.markUnknown("TX-FOUND", Mt5Retcode.ERR_TIMEOUT, "outcome unknown: test");
        // the deal MT5 booked after all, carrying the operation's reference; held back from the live stream, so
        // that only the look-up of the close can find it
        mt5.gateway.pause();
        mt5.gateway.balance(new BalanceOrder(login, op.mt5Action(), op.mt5Amount(), op.reference()));

        BalanceOperation closed = service.closeUnknown("TX-FOUND", "checked by ops").orElseThrow();
        mt5.gateway.resume();

        assertThat(closed.state()).isEqualTo(BalanceState.CONFIRMED);
        assertThat(closed.dealTicket()).isPositive();
        assertThat(mt5.dealsWithComment(login, op.reference())).isEqualTo(1);
    }

    @Test
    void onlyAnUnknownOperationCanBeClosedAndOnlyWhileMt5CanBeAsked() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        service.submit(deposit("TX-DONE", login, "1.00"));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find("TX-DONE").orElseThrow().state()
                == BalanceState.CONFIRMED);
        mt5.gateway.faults().failNextBalanceRequests(1);
        service.submit(deposit("TX-LIMBO", login, "2.00"));
        mt5.setReachable(false);

        assertThatThrownBy(() -> service.closeUnknown("TX-DONE", "x")).isInstanceOf(BalanceNotClosableException.class)
                .hasMessageContaining("is CONFIRMED");
        assertThatThrownBy(() -> service.closeUnknown("TX-LIMBO", "x"))
                .isInstanceOf(io.mt5crmhub.gateway.GatewayException.class).hasMessageContaining("not connected");
        assertThat(store.find("TX-LIMBO").orElseThrow().state()).isEqualTo(BalanceState.UNKNOWN);
        assertThat(service.closeUnknown("TX-NONE", "x")).isEmpty();
    }

    @Test
    void everyRefusalEndsRejectedWithMt5sCode() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        BigDecimal balance = mt5.balanceOf(login);

        BalanceOperation noMoney = service.submit(new BalanceRequest("TX-NM", SimulatedMt5.SERVER, login,
                BalanceType.WITHDRAWAL, balance.add(new BigDecimal("1000000")), null));
        BalanceOperation tooLarge = service.submit(new BalanceRequest("TX-TL", SimulatedMt5.SERVER, login,
                BalanceType.DEPOSIT, new BigDecimal("1000000000.01"), null));
        BalanceOperation noLogin = service.submit(deposit("TX-NL", 99_999_999L, "10.00"));

        assertThat(List.of(noMoney, tooLarge, noLogin)).extracting(BalanceOperation::state)
                .containsOnly(BalanceState.REJECTED);
        assertThat(noMoney.retcode()).isEqualTo(Mt5Retcode.REQUEST_NO_MONEY);
        assertThat(noMoney.reason()).containsIgnoringCase("not enough money");
        assertThat(tooLarge.retcode()).isEqualTo(Mt5Retcode.TRADE_MAX_MONEY);
        assertThat(noLogin.retcode()).isEqualTo(Mt5Retcode.ERR_NOTFOUND);
        assertThat(noLogin.reason()).contains("99999999");
        assertThat(mt5.balanceOf(login)).isEqualByComparingTo(balance);
        // a rejected request asked again stays rejected: MT5 is not asked again
        assertThat(service.submit(deposit("TX-NL", 99_999_999L, "10.00")).state()).isEqualTo(BalanceState.REJECTED);
    }

    @Test
    void aRequestStoredWhileMt5IsAwayIsSentOnceItIsBack() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        mt5.setReachable(false);

        BalanceOperation op = service.submit(deposit("TX-LATER", login, "20.00"));
        service.resolvePending();
        assertThat(op.state()).isEqualTo(BalanceState.RECEIVED);
        assertThat(mt5.dealsWithComment(login, "crm:TX-LATER")).isZero();

        mt5.setReachable(true);
        service.resolvePending();
        service.resolvePending();

        assertThat(mt5.dealsWithComment(login, "crm:TX-LATER")).isEqualTo(1);
        assertThat(store.find("TX-LATER").orElseThrow().state()).isIn(BalanceState.SENT, BalanceState.CONFIRMED);
    }

    @Test
    void aRequestLeftSentByAStoppedHubIsLookedUpNeverSentAgain() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        // the hub stopped after MT5 booked the deal but before the answer was recorded
        BalanceOperation booked = BalanceOperation.received(deposit("TX-CRASH-1", login, "30.00"),
                java.time.Instant.now());
        store.insertIfAbsent(booked);
        store.markSent("TX-CRASH-1");
        mt5.gateway.balance(new BalanceOrder(login, booked.mt5Action(), booked.mt5Amount(), booked.reference()));
        // and another stopped after marking SENT, before the call left
        store.insertIfAbsent(BalanceOperation.received(deposit("TX-CRASH-2", login, "40.00"),
                java.time.Instant.now()));
        store.markSent("TX-CRASH-2");
        BalanceService restarted = new BalanceService(store, mt5, Clock.systemUTC(), Duration.ZERO);

        restarted.resolvePending();

        assertThat(store.find("TX-CRASH-1").orElseThrow().state()).isEqualTo(BalanceState.CONFIRMED);
        assertThat(mt5.dealsWithComment(login, "crm:TX-CRASH-1")).isEqualTo(1);
        BalanceOperation unknown = store.find("TX-CRASH-2").orElseThrow();
        assertThat(unknown.state()).isEqualTo(BalanceState.UNKNOWN);
        assertThat(unknown.reason()).contains("no deal carries reference crm:TX-CRASH-2");
        assertThat(mt5.dealsWithComment(login, "crm:TX-CRASH-2")).isZero();
    }

    @Test
    void aLongCrmTxnIdTravelsAsAShortStableReference() throws Exception {
        long login = mt5.loginWithBalance(BigDecimal.ZERO);
        String id = "PSP-2026-11-24-000000000000000000000000042";

        BalanceOperation op = service.submit(deposit(id, login, "1.00"));

        assertThat(op.reference()).hasSizeLessThanOrEqualTo(31).startsWith("crm#").isEqualTo(BalanceReference.of(id));
        assertThat(mt5.dealsWithComment(login, op.reference())).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find(id).orElseThrow().state()
                == BalanceState.CONFIRMED);
    }

    private static BalanceRequest deposit(String id, long login, String amount) {
        return new BalanceRequest(id, SimulatedMt5.SERVER, login, BalanceType.DEPOSIT, new BigDecimal(amount), null);
    }
}

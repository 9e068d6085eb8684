package io.mt5crmhub.gateway.simulator;

import static io.mt5crmhub.gateway.simulator.SimTestSupport.SERVER;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;

/** The fault hooks money-safety tests rely on: lost answers, lost requests, slow answers. */
class SimulatorFaultsTest {

    @TempDir
    Path dir;

    private TradeServerSimulator simulator;
    private long login;
    private Instant since;

    @BeforeEach
    void open() {
        simulator = TradeServerSimulator.open(SERVER, settings(dir));
        simulator.takeEvents();
        login = simulator.clientIdsByLogin().keySet().iterator().next();
        since = simulator.clock();
    }

    @AfterEach
    void close() {
        simulator.close();
    }

    @Test
    void aDroppedAnswerTimesOutButTheDepositHappened() throws GatewayException {
        BigDecimal before = balance();
        simulator.faults().dropNextBalanceAnswers(2);

        for (String comment : new String[] { "crm:TX-1", "crm:TX-2" }) {
            assertThatThrownBy(() -> simulator.balance(deposit(comment))).isInstanceOf(GatewayException.class)
                    .satisfies(e -> assertThat(((GatewayException) e).retcode()).isEqualTo(Mt5Retcode.ERR_TIMEOUT));
            assertThat(simulator.findDeals(login, comment, since)).as("performed anyway").hasSize(1);
        }
        assertThat(simulator.takeEvents()).as("and delivered like any deal")
                .anyMatch(e -> e.deal() != null && e.deal().comment().equals("crm:TX-1"))
                .anyMatch(e -> e.deal() != null && e.deal().comment().equals("crm:TX-2"));
        assertThat(balance()).isEqualTo(before.add(new BigDecimal("200.00")));

        assertThat(simulator.balance(deposit("crm:TX-3")).isDone()).as("only two answers were lost").isTrue();
    }

    @Test
    void aFailedRequestNeverReachesTheBooks() throws GatewayException {
        BigDecimal before = balance();
        simulator.faults().failNextBalanceRequests(1);

        assertThatThrownBy(() -> simulator.balance(deposit("crm:TX-1"))).isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).retcode()).isEqualTo(Mt5Retcode.ERR_CONNECTION));

        assertThat(simulator.findDeals(login, "crm:TX-1", since)).isEmpty();
        assertThat(simulator.takeEvents()).isEmpty();
        assertThat(balance()).isEqualTo(before);
        assertThat(simulator.balance(deposit("crm:TX-1")).isDone()).isTrue();
        assertThat(simulator.findDeals(login, "crm:TX-1", since)).hasSize(1);
    }

    @Test
    void aDelayedAnswerComesAfterTheDealExists() throws Exception {
        simulator.faults().delayBalanceAnswers(Duration.ofMinutes(10));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<BalanceResult> answer = caller.submit(() -> simulator.balance(deposit("crm:slow")));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !simulator.findDeals(login, "crm:slow", since).isEmpty());
            assertThat(answer).as("the deal exists while the answer is still on its way").isNotDone();

            answer.cancel(true); // interrupts the wait; see anInterruptedDelayReportsATimeout
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aShortDelayStillAnswers() throws Exception {
        simulator.faults().delayBalanceAnswers(Duration.ofMillis(50));
        CompletableFuture<BalanceResult> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return simulator.balance(deposit("crm:late"));
            } catch (GatewayException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(answer.get().isDone()).isTrue();
    }

    @Test
    void anInterruptedDelayReportsATimeout() throws Exception {
        simulator.faults().delayBalanceAnswers(Duration.ofMinutes(10));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> simulator.balance(deposit("crm:cut"))).isInstanceOf(GatewayException.class)
                    .satisfies(e -> assertThat(((GatewayException) e).retcode()).isEqualTo(Mt5Retcode.ERR_TIMEOUT));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(simulator.findDeals(login, "crm:cut", since)).as("performed before the wait").hasSize(1);
        simulator.faults().reset();
        assertThat(SimTestSupport.runActions(simulator, 50)).as("the books survive an interrupted caller")
                .isNotEmpty();
        assertThat(simulator.balance(deposit("crm:after")).isDone()).isTrue();
    }

    @Test
    void resetSwitchesEveryFaultOff() throws GatewayException {
        simulator.faults().dropNextBalanceAnswers(3);
        simulator.faults().failNextBalanceRequests(3);
        simulator.faults().delayBalanceAnswers(Duration.ofMinutes(10));
        simulator.faults().reset();
        assertThat(simulator.balance(deposit("crm:TX-1")).isDone()).isTrue();
    }

    @Test
    void faultCountsCannotBeNegative() {
        assertThatThrownBy(() -> simulator.faults().dropNextBalanceAnswers(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> simulator.faults().delayBalanceAnswers(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private BalanceOrder deposit(String comment) {
        return new BalanceOrder(login, DealAction.BALANCE, new BigDecimal("100"), comment);
    }

    private BigDecimal balance() {
        return simulator.accounts().stream().filter(a -> a.login() == login).findFirst().orElseThrow().account()
                .balance();
    }
}

package io.mt5crmhub.gateway.simulator;

import static io.mt5crmhub.gateway.simulator.SimTestSupport.SERVER;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.testsupport.RecordingListener;

class SimulatorGatewayTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String THREAD = "mt5-sim-" + SERVER;

    @TempDir
    Path dir;

    private SimulatorGateway gateway;

    @AfterEach
    void disconnect() {
        if (gateway != null) {
            gateway.disconnect();
        }
    }

    @Test
    void connectAnnouncesItselfThenStreamsEventsOnItsOwnThread() throws GatewayException {
        gateway = new SimulatorGateway(SERVER, settings(dir));
        RecordingListener listener = new RecordingListener();
        gateway.connect(listener);

        await().atMost(PATIENCE).until(() -> listener.size() >= 2_000);
        assertThat(gateway.isConnected()).isTrue();
        assertThat(listener.calls().get(0)).isEqualTo("connected");
        assertThat(listener.deliveryThread().getName()).isEqualTo(THREAD);
        assertThat(listener.deliveryThread().isDaemon()).isFalse();
        assertThat(gateway.clientIdsByLogin()).hasSizeGreaterThan(50);

        gateway.disconnect();

        assertThat(gateway.isConnected()).isFalse();
        assertThat(listener.deliveryThread().isAlive()).isFalse();
        assertThat(listener.calls()).last().isEqualTo("disconnected: disconnected");
        assertThatThrownBy(() -> gateway.accounts()).isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).retcode()).isEqualTo(Mt5Retcode.ERR_CONNECTION));
    }

    @Test
    void disconnectStopsAfterTheCurrentActionIsDeliveredSoTheStreamIsComplete() throws GatewayException {
        gateway = new SimulatorGateway(SERVER, settings(dir));
        RecordingListener listener = new RecordingListener();
        gateway.connect(listener);
        await().atMost(PATIENCE).until(() -> listener.size() >= 3_000);
        gateway.disconnect();

        List<Mt5Event> streamed = listener.snapshot();
        try (TradeServerSimulator books = TradeServerSimulator.open(SERVER, settings(dir))) {
            // every committed action reached the listener, whole: the books agree with the stream
            new EventLedger().acceptAll(streamed).finish().assertMatchesBooks(books);
        }
    }

    @Test
    void pauseHoldsTheGeneratorBetweenActionsAndResumeDeliversWhatWasHeld() throws GatewayException {
        gateway = new SimulatorGateway(SERVER, settings(dir));
        RecordingListener listener = new RecordingListener();
        gateway.connect(listener);
        await().atMost(PATIENCE).until(() -> listener.size() >= 500);

        gateway.pause();
        await().atMost(PATIENCE).until(gateway::isHolding);
        int delivered = listener.size();
        long actions = gateway.simulator().actionCount();
        long login = gateway.clientIdsByLogin().keySet().iterator().next();
        assertThat(gateway.balance(new BalanceOrder(login, DealAction.BALANCE, BigDecimal.TEN, "crm:paused")).isDone())
                .isTrue();
        assertThat(listener.size()).as("nothing is delivered while paused").isEqualTo(delivered);
        assertThat(gateway.simulator().actionCount()).as("nothing is generated while paused").isEqualTo(actions);

        gateway.resume();
        await().atMost(PATIENCE).until(() -> listener.snapshot().stream()
                .anyMatch(e -> e.deal() != null && e.deal().comment().equals("crm:paused")));
        await().atMost(PATIENCE).until(() -> gateway.simulator().actionCount() > actions);
        assertThat(gateway.isHolding()).isFalse();
    }

    @Test
    void aBlockedListenerHoldsTheGeneratorBack() throws GatewayException {
        gateway = new SimulatorGateway(SERVER, settings(dir));
        Semaphore permits = new Semaphore(0);
        RecordingListener listener = new RecordingListener(permits);
        gateway.connect(listener);

        permits.release(50);
        await().atMost(PATIENCE).until(() -> listener.size() == 50 && listener.deliveryThread() != null
                && listener.deliveryThread().getState() == Thread.State.WAITING);
        assertThat(gateway.simulator().actionCount())
                .as("the world's events are still being delivered: no action may run yet").isZero();

        permits.release(Integer.MAX_VALUE / 2);
        await().atMost(PATIENCE).until(() -> listener.size() >= 1_000);
        assertThat(gateway.simulator().actionCount()).isPositive();
    }

    @Test
    void theListenerMayDisconnectFromInsideADelivery() throws GatewayException {
        gateway = new SimulatorGateway(SERVER, settings(dir));
        RecordingListener listener = new RecordingListener();
        listener.onEach(e -> {
            if (listener.size() == 500) {
                gateway.disconnect();
            }
        });
        gateway.connect(listener);

        await().atMost(PATIENCE).until(listener::disconnected);
        assertThat(gateway.isConnected()).isFalse();
        await().atMost(PATIENCE).until(() -> !listener.deliveryThread().isAlive());
        assertThat(listener.size()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void aReconnectContinuesTheSameBooks() throws GatewayException {
        gateway = new SimulatorGateway(SERVER, settings(dir));
        RecordingListener first = new RecordingListener();
        gateway.connect(first);
        await().atMost(PATIENCE).until(() -> first.size() >= 1_000);
        gateway.disconnect();
        long lastTicket = lastDealTicket(first.snapshot());

        RecordingListener second = new RecordingListener();
        gateway.connect(second);
        await().atMost(PATIENCE).until(() -> second.size() >= 1_000);
        gateway.disconnect();

        List<Mt5Event> after = second.snapshot();
        assertThat(after).noneMatch(e -> e.type().equals(EventType.ACCOUNT_ADDED) && e.login() == Books.FIRST_LOGIN);
        assertThat(after).filteredOn(e -> e.deal() != null).allMatch(e -> e.deal().ticket() > lastTicket);
    }

    @Test
    void faultsSurviveReconnectsAndTheDealStillArrives() throws GatewayException {
        gateway = new SimulatorGateway(SERVER, settings(dir));
        gateway.faults().dropNextBalanceAnswers(1);
        RecordingListener listener = new RecordingListener();
        gateway.connect(listener);
        long login = gateway.clientIdsByLogin().keySet().iterator().next();
        Instant since = gateway.simulator().clock();

        assertThatThrownBy(() -> gateway.balance(new BalanceOrder(login, DealAction.BALANCE, BigDecimal.TEN,
                "crm:lost"))).isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).retcode()).isEqualTo(Mt5Retcode.ERR_TIMEOUT));

        await().atMost(PATIENCE).until(() -> listener.snapshot().stream()
                .anyMatch(e -> e.deal() != null && e.deal().comment().equals("crm:lost")));
        assertThat(gateway.findDeals(login, "crm:lost", since)).hasSize(1);
    }

    @Test
    void queriesNeedAConnection() {
        gateway = new SimulatorGateway(SERVER, settings(dir));
        assertThat(gateway.isConnected()).isFalse();
        assertThatThrownBy(() -> gateway.dealHistory(Instant.EPOCH, Instant.now()))
                .isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> gateway.openPositions()).isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> gateway.balance(new BalanceOrder(50_001, DealAction.BALANCE, BigDecimal.TEN, "x")))
                .isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).retcode()).isEqualTo(Mt5Retcode.ERR_CONNECTION));
        gateway.disconnect();
    }

    @Test
    void connectingTwiceIsAProgrammingError() throws GatewayException {
        gateway = new SimulatorGateway(SERVER, settings(dir));
        gateway.connect(new RecordingListener());
        assertThatThrownBy(() -> gateway.connect(new RecordingListener())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void booksThatCannotBeOpenedFailTheConnect() throws Exception {
        Path notADirectory = Files.createFile(dir.resolve("file"));
        gateway = new SimulatorGateway(SERVER, settings(notADirectory));
        RecordingListener listener = new RecordingListener();
        assertThatThrownBy(() -> gateway.connect(listener)).isInstanceOf(GatewayException.class)
                .hasMessageContaining(SERVER)
                .satisfies(e -> assertThat(((GatewayException) e).retcode()).isEqualTo(Mt5Retcode.ERR_CONNECTION));
        assertThat(listener.calls()).isEmpty();
    }

    @Test
    void createReadsTheServersSettings() {
        gateway = SimulatorGateway.create(SimTestSupport.serverSettings(dir, "seed", "9", "groups", "real*")
                .orElseThrow());
        assertThat(gateway.serverId()).isEqualTo(SERVER);
        assertThat(gateway.settings().seed()).isEqualTo(9);
        assertThat(gateway.settings().groups().matches("demo\\usd")).isFalse();
        assertThat(Optional.of(gateway.settings().dataDir())).contains(dir);
    }

    private static long lastDealTicket(List<Mt5Event> events) {
        return events.stream().filter(e -> e.deal() != null).mapToLong(e -> e.deal().ticket()).max().orElseThrow();
    }
}

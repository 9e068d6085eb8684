package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.testsupport.CheckpointingListener;
import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.RecordingListener;

/** Losing MT5 and getting it back: reported, reconnected (by the API or by the gateway), and nothing missing. */
class NativeReconnectTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int CONNECT_SLOT = 5;

    private Mt5Stub.Control stub;
    private NativeGateway gateway;

    @BeforeEach
    void resetStandIn() {
        stub = Mt5Stub.reset();
        stub.stub_user_event(Mt5Stub.ADD, 50012, Mt5Stub.utf16("real\\usd"), Mt5Stub.utf16("Ann"), Mt5Stub.utf16(""),
                Mt5Stub.utf16(""), 100, 0, 0, 0);
    }

    @AfterEach
    void disconnect() {
        if (gateway != null) {
            gateway.disconnect();
        }
        assertThat(Mt5Stub.violationCount()).as(Mt5Stub.lastViolation()).isZero();
    }

    /**
     * A hub restarting in one process: the stopped gateway's OnDisconnect may still be on its way when the new one
     * connects. Each manager has its own connection, so the new one must never hear it (in the stand-in as in the
     * DLL): it would take MT5 for gone and read the whole back-fill again.
     */
    @Test
    void aGatewayStartedWhileTheStoppedOnesDisconnectIsOnItsWayNeverHearsIt() throws Exception {
        NativeGateway stopped = NativeGateways.create(Map.of());
        stopped.connect(new RecordingListener());
        assertThat(stub.stub_drain(10_000)).isZero();
        stub.stub_hold_events(1); // the stopped manager's OnDisconnect waits in the network thread's queue
        stopped.disconnect();

        gateway = NativeGateways.create(Map.of());
        RecordingListener listener = new RecordingListener();
        gateway.connect(listener);
        stub.stub_hold_events(0);
        assertThat(stub.stub_drain(10_000)).isZero();
        stub.stub_deal_event(Mt5Stub.ADD, 7001, 50012, 2, 0, 0, 0, 5, Mt5Stub.utf16(""), Mt5Stub.utf16(""),
                System.currentTimeMillis(), 0);
        await().atMost(WAIT).until(() -> listener.events(EntityType.DEAL).stream().anyMatch(e -> e.deal().ticket() == 7001L));

        assertThat(listener.calls()).as("what the new gateway heard").containsExactly("connected");
        assertThat(gateway.isConnected()).isTrue();
    }

    @Test
    void whenTheApiDoesNotComeBackTheGatewayConnectsAgainItselfWithBackoff() throws Exception {
        RecordingListener listener = new RecordingListener();
        gateway = NativeGateways.create(Map.of("reconnect-grace", "100ms"));
        gateway.connect(listener);

        stub.stub_set_reachable(0);
        stub.stub_drop_connection();
        await().atMost(WAIT).until(listener::disconnected);
        assertThat(listener.calls().get(1)).contains("MT5 server live1 (127.0.0.1:443) dropped the connection");
        assertThat(gateway.isConnected()).isFalse();
        stub.stub_deal_event(Mt5Stub.ADD, 6001, 50012, 2, 0, 0, 0, 5, Mt5Stub.utf16(""), Mt5Stub.utf16("hidden"),
                System.currentTimeMillis(), 0);
        await().atMost(WAIT).until(() -> stub.stub_calls(CONNECT_SLOT) >= 3); // the first connect, then two refused
        assertThat(listener.calls()).hasSize(2);

        stub.stub_set_reachable(1);
        await().atMost(WAIT).until(() -> listener.calls().size() == 3);

        assertThat(listener.calls().get(2)).isEqualTo("connected");
        assertThat(gateway.isConnected()).isTrue();
        assertThat(gateway.dealHistory(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60)))
                .extracting(e -> e.deal().ticket()).containsExactly(6001L);
    }

    @Test
    void dealsMadeAcrossRepeatedOutagesAreAllDeliveredLiveOrByTheBackfillFromTheCheckpoint() throws Exception {
        gateway = NativeGateways.create(Map.of());
        CheckpointingListener listener = new CheckpointingListener(gateway);
        gateway.connect(listener);
        AtomicBoolean injecting = new AtomicBoolean(true);
        AtomicLong injected = new AtomicLong();
        Thread injector = new Thread(() -> {
            while (injecting.get()) {
                long ticket = injected.incrementAndGet();
                stub.stub_deal_event(Mt5Stub.ADD, ticket, 50012, 2, 0, 0, 0, 1, Mt5Stub.utf16(""), Mt5Stub.utf16(""),
                        System.currentTimeMillis(), 0);
                if (ticket % 20 == 0) {
                    Thread.onSpinWait();
                }
            }
        }, "deal-injector");
        injector.start();

        for (int outage = 1; outage <= 3; outage++) {
            long before = injected.get();
            await().atMost(WAIT).until(() -> injected.get() > before + 200);
            stub.stub_drop_connection();
            int outageNumber = outage;
            await().atMost(WAIT).until(() -> listener.disconnects() == outageNumber);
            long during = injected.get();
            await().atMost(WAIT).until(() -> injected.get() > during + 200); // these reach the history only
            stub.stub_restore_connection();
            await().atMost(WAIT).until(() -> listener.backfills().size() == outageNumber);
        }
        long afterLast = injected.get();
        await().atMost(WAIT).until(() -> injected.get() > afterLast + 200);
        injecting.set(false);
        injector.join();
        assertThat(stub.stub_drain(20_000)).isZero();
        await().atMost(WAIT).until(() -> listener.seen().size() >= injected.get());

        assertThat(listener.failures()).isEmpty();
        assertThat(listener.seen()).hasSize((int) injected.get());
        assertThat(listener.backfills()).allSatisfy(tickets -> assertThat(tickets).isNotEmpty());
    }
}

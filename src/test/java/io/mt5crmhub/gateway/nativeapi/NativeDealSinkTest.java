package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;
import io.mt5crmhub.testsupport.Mt5Stub;

class NativeDealSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Queue<NativeDealChange> deals = new ConcurrentLinkedQueue<>();
    private final List<String> callbackThreads = new CopyOnWriteArrayList<>();
    private final Set<Thread> threadObjects = ConcurrentHashMap.newKeySet();
    private final AtomicInteger syncs = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger disconnects = new AtomicInteger();
    private Mt5Stub.Control stub;
    private ManagerApi manager;
    private DealSink dealSink;
    private ConnectionSink connectionSink;

    @BeforeEach
    void connect() {
        stub = Mt5Stub.reset();
        stub.stub_set_credentials(1001, Mt5Stub.utf16("pässword"));
        manager = ManagerLibrary.load("mt5.server.t.library", Mt5Stub.library().toString()).createManager();
        dealSink = new DealSink(change -> {
            callbackThreads.add(Thread.currentThread().getName());
            threadObjects.add(Thread.currentThread());
            deals.add(change);
        }, syncs::incrementAndGet);
        connectionSink = new ConnectionSink(new ConnectionSink.Listener() {
            @Override
            public void onConnect() {
                connects.incrementAndGet();
            }

            @Override
            public void onDisconnect() {
                disconnects.incrementAndGet();
            }
        });
        assertThat(manager.subscribe(connectionSink)).isZero();
        assertThat(manager.dealSubscribe(dealSink)).isZero();
        assertThat(manager.connect("127.0.0.1:443", 1001, "pässword", ManagerApi.PUMP_USERS_DEALS_POSITIONS, 5000))
                .isZero();
    }

    @AfterEach
    void release() {
        manager.disconnect();
        manager.dealUnsubscribe(dealSink);
        manager.unsubscribe(connectionSink);
        manager.release();
        assertThat(Mt5Stub.violationCount()).as(Mt5Stub.lastViolation()).isZero();
        assertThat(Mt5Stub.trapCount()).as(Mt5Stub.lastTrap()).isZero();
    }

    @Test
    void anInjectedDealReachesTheSinkWithItsFieldsIntact() {
        String comment = "crm:Ж-42 深圳 é";
        stub.stub_deal_event(Mt5Stub.ADD, 123456, 50012, 1, 1, 15000, 1.08345, -12.5, Mt5Stub.utf16("EURUSD.ß"),
                Mt5Stub.utf16(comment), 1_764_744_012_345L, 777);

        await().atMost(WAIT).until(() -> !deals.isEmpty());
        NativeDealChange change = deals.poll();
        assertThat(change.change()).isEqualTo(Change.ADDED);
        NativeDeal deal = change.deal();
        assertThat(deal.ticket()).isEqualTo(123456);
        assertThat(deal.login()).isEqualTo(50012);
        assertThat(deal.action()).isEqualTo(1);
        assertThat(deal.entry()).isEqualTo(1);
        assertThat(deal.volume()).isEqualTo(15000);
        assertThat(deal.price()).isEqualTo(1.08345);
        assertThat(deal.profit()).isEqualTo(-12.5);
        assertThat(deal.symbol()).isEqualTo("EURUSD.ß");
        assertThat(deal.comment()).isEqualTo(comment);
        assertThat(deal.positionId()).isEqualTo(777);
        assertThat(deal.timeMsc()).isEqualTo(1_764_744_012_345L);
        assertThat(dealSink.failures()).isZero();
    }

    @Test
    void callbacksArriveOnTheLibrarysOwnThreadAfterOnConnectAndTheSync() {
        stub.stub_deal_event(Mt5Stub.ADD, 1, 50012, 2, 0, 0, 0, 100, Mt5Stub.utf16(""), Mt5Stub.utf16("x"), 1, 0);
        stub.stub_deal_event(Mt5Stub.UPDATE, 1, 50012, 2, 0, 0, 0, 100, Mt5Stub.utf16(""), Mt5Stub.utf16("y"), 1, 0);
        stub.stub_deal_event(Mt5Stub.DELETE, 1, 50012, 2, 0, 0, 0, 100, Mt5Stub.utf16(""), Mt5Stub.utf16("y"), 1, 0);

        await().atMost(WAIT).until(() -> deals.size() == 3);
        assertThat(connects).hasValue(1);
        assertThat(syncs).hasValue(1);
        assertThat(deals).extracting(NativeDealChange::change)
                .containsExactly(Change.ADDED, Change.UPDATED, Change.DELETED);
        assertThat(callbackThreads).doesNotContain(Thread.currentThread().getName())
                .allMatch(name -> name.startsWith("mt5-native-"));
    }

    @Test
    void theNetworkThreadStaysAttachedToTheJvmBetweenEvents() {
        for (int ticket = 1; ticket <= 500; ticket++) {
            stub.stub_deal_event(Mt5Stub.ADD, ticket, 50012, 2, 0, 0, 0, 1, Mt5Stub.utf16(""), Mt5Stub.utf16(""), 1, 0);
        }

        await().atMost(WAIT).until(() -> deals.size() == 500);
        // without the callback thread initializer JNA would attach and detach it, one Thread object per event
        assertThat(threadObjects).hasSize(1);
    }

    @Test
    void aDroppedConnectionIsHeardAndDealsMadeMeanwhileAreNotPushed() {
        stub.stub_drop_connection();
        await().atMost(WAIT).until(() -> disconnects.get() == 1);

        stub.stub_deal_event(Mt5Stub.ADD, 2, 50012, 2, 0, 0, 0, 5, Mt5Stub.utf16(""), Mt5Stub.utf16("gap"), 1, 0);
        stub.stub_restore_connection();
        stub.stub_deal_event(Mt5Stub.ADD, 3, 50012, 2, 0, 0, 0, 5, Mt5Stub.utf16(""), Mt5Stub.utf16("live"), 1, 0);

        await().atMost(WAIT).until(() -> deals.size() == 1);
        assertThat(connects).hasValue(2);
        assertThat(stub.stub_drain(5000)).isZero();
        assertThat(deals).extracting(c -> c.deal().ticket()).containsExactly(3L);
    }

    @Test
    void wrongCredentialsAreRefusedWith1001() {
        ManagerApi other = ManagerLibrary.load("mt5.server.t.library", Mt5Stub.library().toString()).createManager();
        try {
            assertThat(other.connect("127.0.0.1:443", 1001, "wrong", ManagerApi.PUMP_USERS_DEALS_POSITIONS, 5000))
                    .isEqualTo(1001);
        } finally {
            other.release();
        }
    }
}

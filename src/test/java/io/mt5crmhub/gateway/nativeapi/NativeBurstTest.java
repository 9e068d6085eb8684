package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.RecordingListener;

/**
 * A burst of 100,000 deals from MT5's network thread. When the hub cannot keep up the inbox stays within its bound,
 * the network thread never waits, and nothing is lost: what was delivered live plus the back-fill from the
 * checkpoint hold every ticket. When it can keep up, every deal arrives live.
 */
class NativeBurstTest {

    private static final int BURST = 100_000;
    private static final int CAPACITY = 1_000;
    private static final long T0 = 1_764_744_012_345L;
    private static final Duration WAIT = Duration.ofSeconds(60);

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
    }

    @Test
    void aBurstTheHubCannotTakeStaysWithinTheInboxAndIsRecoveredWholeFromTheCheckpoint() throws Exception {
        Semaphore permits = new Semaphore(0); // the hub is stuck: the first deal blocks the pump
        RecordingListener listener = new RecordingListener(permits);
        gateway = NativeGateways.create(Map.of("inbox-capacity", Integer.toString(CAPACITY)));
        gateway.connect(listener);

        injectBurst();
        assertThat(stub.stub_drain(60_000)).as("the network thread never waited for the hub").isZero();

        assertThat(gateway.inboxHighWater()).isLessThanOrEqualTo(CAPACITY);
        assertThat(gateway.droppedEvents()).as("what health and metrics show while the hub is stuck")
                .isGreaterThanOrEqualTo(BURST - CAPACITY - 1L);
        assertThat(gateway.isConnected()).as("MT5 itself stayed connected").isTrue();

        permits.release(Integer.MAX_VALUE / 2);
        await().atMost(WAIT).until(() -> listener.calls().size() == 3);
        assertThat(listener.calls().get(1)).contains("inbox of 1000 records was full");
        assertThat(listener.calls().get(2)).isEqualTo("connected");

        // what the component does on onConnected: back-fill from its checkpoint, the last deal it was given
        Set<Long> live = new TreeSet<>(listener.dealTickets());
        assertThat(live).as("live deals are a prefix without gaps").containsExactlyElementsOf(
                LongStream.rangeClosed(1, live.size()).boxed().toList());
        Instant checkpoint = listener.snapshot().get(live.size() - 1).occurredAt();
        Set<Long> all = new TreeSet<>(live);
        for (Mt5Event deal : gateway.dealHistory(checkpoint, Instant.ofEpochMilli(T0 + BURST + 1_000))) {
            all.add(deal.deal().ticket());
        }
        assertThat(all).hasSize(BURST).first().isEqualTo(1L);
        assertThat(all).last().isEqualTo((long) BURST);
    }

    @Test
    void aBurstTheHubKeepsUpWithArrivesWholeAndLive() throws Exception {
        RecordingListener listener = new RecordingListener();
        gateway = NativeGateways.create(Map.of());
        gateway.connect(listener);

        // the burst builds up in the library's queue and comes at once; its speed is measured by
        // bench --parts NATIVE (docs/benchmarks.md), beside a bare JNA callback's
        stub.stub_hold_events(1);
        injectBurst();
        stub.stub_hold_events(0);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> listener.size() == BURST);

        assertThat(gateway.droppedEvents()).isZero();
        assertThat(listener.dealTickets()).containsExactlyElementsOf(LongStream.rangeClosed(1, BURST).boxed().toList());
        assertThat(listener.calls()).containsExactly("connected");
    }

    private void injectBurst() {
        for (long ticket = 1; ticket <= BURST; ticket++) {
            stub.stub_deal_event(Mt5Stub.ADD, ticket, 50012, 2, 0, 0, 0, 1, Mt5Stub.utf16(""), Mt5Stub.utf16(""),
                    T0 + ticket, 0);
        }
    }
}

package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.testsupport.Mt5Stub;

/** The stand-in enforces the API's rules, so that a binding breaking one fails a test instead of a broker. */
class NativeStandInRulesTest {

    private ManagerApi manager;

    @BeforeEach
    void connect() {
        Mt5Stub.reset();
        manager = ManagerLibrary.load("k", Mt5Stub.library().toString()).createManager();
    }

    @AfterEach
    void release() {
        manager.disconnect();
        manager.release();
    }

    @Test
    void aRequestFromInsideACallbackIsRecordedAsAViolation() {
        AtomicInteger answer = new AtomicInteger(-1);
        ComObject array = manager.dealCreateArray();
        DealSink sink = new DealSink(change -> answer.set(manager.dealRequestByGroup("*", 0, 1, array)), () -> { });
        manager.dealSubscribe(sink);
        manager.connect("a:1", 1, "p", ManagerApi.PUMP_USERS_DEALS_POSITIONS, 1000);

        Mt5Stub.control().stub_deal_event(Mt5Stub.ADD, 1, 2, 2, 0, 0, 0, 1, Mt5Stub.utf16(""), Mt5Stub.utf16(""),
                1, 0);

        await().atMost(Duration.ofSeconds(10)).until(() -> answer.get() != -1);
        assertThat(answer).hasValue(2);
        assertThat(Mt5Stub.violationCount()).isEqualTo(1);
        assertThat(Mt5Stub.lastViolation())
                .isEqualTo("IMTManagerAPI slot 321 requested from inside a sink callback");
        manager.dealUnsubscribe(sink);
        array.callVoid(ArraySlots.RELEASE);
    }

    @Test
    void subscribingTwiceAnswers17AndUnsubscribingAStrangerAnswers13() {
        DealSink sink = new DealSink(change -> { }, () -> { });

        assertThat(manager.dealSubscribe(sink)).isZero();
        assertThat(manager.dealSubscribe(sink)).isEqualTo(17);
        assertThat(manager.dealUnsubscribe(sink)).isZero();
        assertThat(manager.dealUnsubscribe(sink)).isEqualTo(13);
    }

    @Test
    void requestsWhileDisconnectedAnswer10() {
        ComObject array = manager.dealCreateArray();
        try {
            assertThat(manager.dealRequestByGroup("*", 0, Long.MAX_VALUE, array)).isEqualTo(10);
        } finally {
            array.callVoid(ArraySlots.RELEASE);
        }
    }
}

package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.testsupport.Mt5Stub;

/** DealerBalance through slot 192 against the stand-in's rules (section 9 of the ABI reference). */
class NativeDealerBalanceTest {

    private static final int BALANCE = 2;
    private static final long LOGIN = 50012;

    private final Queue<NativeDealChange> deals = new ConcurrentLinkedQueue<>();
    private Mt5Stub.Control stub;
    private ManagerApi manager;
    private DealSink sink;

    @BeforeEach
    void connect() {
        stub = Mt5Stub.reset();
        stub.stub_user_event(Mt5Stub.ADD, LOGIN, Mt5Stub.utf16("real\\usd"), Mt5Stub.utf16("Jürgen"),
                Mt5Stub.utf16(""), Mt5Stub.utf16("DE"), 100, 50, 0, 7);
        manager = ManagerLibrary.load("k", Mt5Stub.library().toString()).createManager();
        sink = new DealSink(deals::add, () -> { });
        manager.dealSubscribe(sink);
        assertThat(manager.connect("a:1", 1, "p", ManagerApi.PUMP_USERS_DEALS_POSITIONS, 1000)).isZero();
    }

    @AfterEach
    void release() {
        manager.disconnect();
        manager.dealUnsubscribe(sink);
        manager.release();
    }

    @Test
    void aDoneDepositAnswers10009WithItsTicketAndItsDealIsPushedWithTheCommentCutTo31Characters() {
        String comment = "crm:TX-0123456789-abcdefghijklmnopq"; // 35 characters

        DealerAnswer answer = manager.dealerBalance(LOGIN, 100.25, BALANCE, comment);

        assertThat(answer.retcode()).isEqualTo(10009);
        assertThat(answer.ticket()).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> !deals.isEmpty());
        NativeDeal deal = deals.poll().deal();
        assertThat(deal.ticket()).isEqualTo(answer.ticket());
        assertThat(deal.profit()).isEqualTo(100.25);
        assertThat(deal.reason()).isEqualTo(2);
        assertThat(deal.comment()).isEqualTo(comment.substring(0, 31));
    }

    @Test
    void definiteRefusalsCarryNoTicket() {
        assertThat(manager.dealerBalance(LOGIN, -1000, BALANCE, "x")).isEqualTo(new DealerAnswer(10019, 0));
        assertThat(manager.dealerBalance(LOGIN, 2e9, BALANCE, "x")).isEqualTo(new DealerAnswer(4005, 0));
        assertThat(manager.dealerBalance(LOGIN, 10, 99, "x")).isEqualTo(new DealerAnswer(3, 0));
        stub.stub_balance_refuse_next(10019);
        assertThat(manager.dealerBalance(LOGIN, 10, BALANCE, "x")).isEqualTo(new DealerAnswer(10019, 0));
    }

    @Test
    void aTimeoutAnswers10012ButTheDealExistsAndMustBeLookedUp() {
        stub.stub_balance_timeout_next();

        DealerAnswer answer = manager.dealerBalance(LOGIN, 30, BALANCE, "crm:TX-77");

        assertThat(answer).isEqualTo(new DealerAnswer(10012, 0));
        ComObject array = manager.dealCreateArray();
        try {
            assertThat(manager.dealRequestByGroup("real*", 0, Long.MAX_VALUE / 2, array)).isZero();
            List<NativeDeal> history = DealArrays.read(array);
            assertThat(history).extracting(NativeDeal::comment).containsExactly("crm:TX-77");
        } finally {
            array.callVoid(ArraySlots.RELEASE);
        }
    }
}

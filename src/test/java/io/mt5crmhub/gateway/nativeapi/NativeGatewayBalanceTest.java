package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestNotSentException;
import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.RecordingListener;

/** Balance operations through the native gateway's DealerBalance on the stand-in: done, refused, unknown. */
class NativeGatewayBalanceTest {

    private static final long LOGIN = 50012;
    private static final int DEALER_BALANCE_SLOT = 192;

    private Mt5Stub.Control stub;
    private NativeGateway gateway;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void connect() throws Exception {
        stub = Mt5Stub.reset();
        stub.stub_user_event(Mt5Stub.ADD, LOGIN, Mt5Stub.utf16("real\\usd"), Mt5Stub.utf16("Ann"), Mt5Stub.utf16(""),
                Mt5Stub.utf16(""), 100, 50, 0, 0);
        gateway = NativeGateways.create(Map.of());
        gateway.connect(listener);
    }

    @AfterEach
    void disconnect() {
        gateway.disconnect();
        assertThat(Mt5Stub.violationCount()).as(Mt5Stub.lastViolation()).isZero();
    }

    @Test
    void aDoneDepositIsTheTicketOfItsDealWhichIsPushedWithTheReference() throws Exception {
        BalanceResult result = gateway.balance(order("100.25", "crm:TX-1"));

        assertThat(result.isDone()).isTrue();
        assertThat(result.retcode()).isEqualTo(Mt5Retcode.REQUEST_DONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.dealTickets().contains(result.dealTicket()));
        Mt5Event deal = listener.snapshot().get(0);
        assertThat(deal.deal().comment()).isEqualTo("crm:TX-1");
        assertThat(deal.deal().action()).isEqualTo(DealAction.BALANCE);
        assertThat(deal.deal().profit()).isEqualByComparingTo("100.25");
        assertThat(deal.group()).isEqualTo("real\\usd");
    }

    @Test
    void theDocumentedRefusalsAreDefinite() throws Exception {
        assertThat(gateway.balance(order("-1000", "crm:TX-2"))).isEqualTo(BalanceResult.refused(
                Mt5Retcode.REQUEST_NO_MONEY, "Not enough money"));
        assertThat(gateway.balance(order("2000000000", "crm:TX-3")).retcode()).isEqualTo(Mt5Retcode.TRADE_MAX_MONEY);
        stub.stub_balance_refuse_next(Mt5Retcode.ERR_PARAMS);
        assertThat(gateway.balance(order("10", "crm:TX-4")).retcode()).isEqualTo(Mt5Retcode.ERR_PARAMS);
        assertThat(gateway.findDeals(LOGIN, "crm:TX-2", Instant.EPOCH)).isEmpty();
    }

    @Test
    void aTimeoutIsAnUnknownOutcomeWhoseDealTheLookUpFindsAndNothingIsSentTwice() throws Exception {
        stub.stub_balance_timeout_next();

        assertThatThrownBy(() -> gateway.balance(order("30", "crm:TX-77")))
                .isInstanceOf(GatewayException.class).isNotInstanceOf(RequestNotSentException.class)
                .hasMessageContaining("answered 10012").hasMessageContaining("look the deal up")
                .extracting(e -> ((GatewayException) e).retcode()).isEqualTo(Mt5Retcode.REQUEST_TIMEOUT);

        assertThat(gateway.findDeals(LOGIN, "crm:TX-77", Instant.EPOCH)).singleElement()
                .satisfies(deal -> assertThat(deal.deal().profit()).isEqualByComparingTo("30"));
        assertThat(gateway.findDeals(LOGIN, "crm:TX-7", Instant.EPOCH)).isEmpty();
        assertThat(stub.stub_calls(DEALER_BALANCE_SLOT)).isEqualTo(1);
    }

    @Test
    void anyOtherAnswerIsUnknownToo() {
        stub.stub_balance_refuse_next(Mt5Retcode.ERR_NOTFOUND); // the stand-in's code for a login it lacks
        assertThatThrownBy(() -> gateway.balance(order("10", "crm:TX-5"))).isInstanceOf(GatewayException.class)
                .isNotInstanceOf(RequestNotSentException.class).hasMessageContaining("answered 13");
        stub.stub_balance_refuse_next(Mt5Retcode.ERROR);
        assertThatThrownBy(() -> gateway.balance(order("10", "crm:TX-6"))).isInstanceOf(GatewayException.class)
                .isNotInstanceOf(RequestNotSentException.class).hasMessageContaining("answered 2");
    }

    @Test
    void aReferenceTheLibraryWouldCutOrAnAmountADoubleCannotCarryIsNeverSent() throws Exception {
        String thirtyTwo = "crm:" + "x".repeat(28);

        BalanceResult cut = gateway.balance(order("10", thirtyTwo));
        BalanceResult inexact = gateway.balance(order("0.12345678901234567890", "crm:TX-8"));

        assertThat(cut.retcode()).isEqualTo(Mt5Retcode.ERR_PARAMS);
        assertThat(cut.message()).contains("longer than 31 characters").contains("not sent");
        assertThat(inexact.retcode()).isEqualTo(Mt5Retcode.ERR_PARAMS);
        assertThat(stub.stub_calls(DEALER_BALANCE_SLOT)).isZero();
        assertThat(gateway.balance(order("10", "crm:" + "x".repeat(27))).isDone()).isTrue();
    }

    @Test
    void whileDisconnectedNothingIsSentAndTheOperationMayBeSentLater() {
        stub.stub_drop_connection();
        await().atMost(Duration.ofSeconds(10)).until(listener::disconnected);

        assertThatThrownBy(() -> gateway.balance(order("10", "crm:TX-9")))
                .isInstanceOf(RequestNotSentException.class).hasMessageContaining("was not sent");
        assertThat(stub.stub_calls(DEALER_BALANCE_SLOT)).isZero();
    }

    private static BalanceOrder order(String amount, String comment) {
        return new BalanceOrder(LOGIN, DealAction.BALANCE, new BigDecimal(amount), comment);
    }
}

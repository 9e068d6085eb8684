package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.testsupport.Mt5TestContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** mt5:balance against the simulator: the deal lands with its comment and comes back on mt5:deals. */
class Mt5BalanceProducerTest {

    private static final long LOGIN = 50001;

    @AutoClose
    private Mt5TestContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new Mt5TestContext()
                .simulator("sim", "rate", "5", "start-time", "2026-11-24T00:00:00Z")
                .routes(rb -> {
                    rb.from("direct:balance").to("mt5:balance");
                    rb.from("mt5:deals?actions=BALANCE&initialBackfill=30d").routeId("balance-deals")
                            .to("mock:balance-deals");
                })
                .start();
    }

    @Test
    void aDepositLandsAsABalanceDealCarryingTheComment() throws Exception {
        MockEndpoint deals = camel.mock("mock:balance-deals");

        Exchange reply = camel.template().request("direct:balance", e -> e.getMessage().setBody(
                Map.of("login", LOGIN, "type", "BALANCE", "amount", "250.00", "comment", "crm:TX-1001")));

        assertThat(reply.getException()).isNull();
        BalanceResult result = reply.getMessage().getBody(BalanceResult.class);
        assertThat(result.retcode()).isEqualTo(Mt5Retcode.REQUEST_DONE);
        assertThat(reply.getMessage().getHeader(Mt5Constants.DEAL_TICKET, Long.class)).isEqualTo(result.dealTicket())
                .isPositive();
        Mt5Event back = await().atMost(Duration.ofSeconds(10)).until(() -> deals.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getBody(Mt5Event.class))
                .filter(e -> "crm:TX-1001".equals(e.deal().comment())).findFirst(), Optional::isPresent).get();
        assertThat(back.deal().ticket()).isEqualTo(result.dealTicket());
        assertThat(back.deal().action()).isEqualTo(DealAction.BALANCE);
        assertThat(back.deal().profit()).isEqualByComparingTo("250.00");
        assertThat(back.login()).isEqualTo(LOGIN);
    }

    @Test
    void refusalsCarryMt5sRetcode() {
        assertRefused(Map.of("login", LOGIN, "type", "BALANCE", "amount", "-999999999"), Mt5Retcode.REQUEST_NO_MONEY);
        assertRefused(Map.of("login", LOGIN, "type", "BALANCE", "amount", "1000000000.01"), Mt5Retcode.TRADE_MAX_MONEY);
        assertRefused(Map.of("login", 99999999L, "type", "BALANCE", "amount", "10"), Mt5Retcode.ERR_NOTFOUND);
        assertRefused(Map.of("login", LOGIN, "type", "BALANCE", "amount", "10", "comment", "x".repeat(33)),
                Mt5Retcode.ERR_PARAMS);
    }

    @Test
    void badRequestsNameTheField() {
        assertThatThrownBy(() -> camel.template().requestBody("direct:balance", Map.of("login", "abc", "type", "BALANCE",
                "amount", "1"))).hasRootCauseMessage("mt5:balance: login must be a positive MT5 login, was abc");
        assertThatThrownBy(() -> camel.template().requestBody("direct:balance", Map.of("login", LOGIN, "type", "GIFT",
                "amount", "1"))).hasRootCauseMessage("mt5:balance: type 'GIFT' is not an MT5 deal action");
        assertThatThrownBy(() -> camel.template().requestBody("direct:balance", "{\"login\":50001,\"type\":\"BALANCE\","
                + "\"amount\":\"ten\"}")).hasRootCauseMessage("mt5:balance: amount 'ten' is not a decimal number");
    }

    private void assertRefused(Map<String, Object> request, int retcode) {
        assertThatThrownBy(() -> camel.template().requestBody("direct:balance", request))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(Mt5BalanceRefusedException.class,
                        e -> assertThat(e.retcode()).as(e.getMessage()).isEqualTo(retcode));
    }
}

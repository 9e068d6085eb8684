package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.Mt5Retcode;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/** mt5:balance against the simulator: the deal lands with its comment and comes back on mt5:deals. */
class Mt5BalanceProducerTest extends CamelTestSupport {

    private static final long LOGIN = 50001;

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        try {
            p.put("mt5.server.sim.data-dir", Files.createTempDirectory("mt5-balance").toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        p.put("mt5.servers", "sim");
        p.put("mt5.server.sim.rate", "5");
        p.put("mt5.server.sim.start-time", "2026-11-24T00:00:00Z");
        return p;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:balance").to("mt5:balance");
                from("mt5:deals?actions=BALANCE&initialBackfill=30d").routeId("balance-deals").to("mock:balance-deals");
            }
        };
    }

    @Test
    void aDepositLandsAsABalanceDealCarryingTheComment() throws Exception {
        MockEndpoint deals = getMockEndpoint("mock:balance-deals");

        Exchange reply = template.request("direct:balance", e -> e.getMessage().setBody(
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
        assertThatThrownBy(() -> template.requestBody("direct:balance", Map.of("login", "abc", "type", "BALANCE",
                "amount", "1"))).hasRootCauseMessage("mt5:balance: login must be a positive MT5 login, was abc");
        assertThatThrownBy(() -> template.requestBody("direct:balance", Map.of("login", LOGIN, "type", "GIFT",
                "amount", "1"))).hasRootCauseMessage("mt5:balance: type 'GIFT' is not an MT5 deal action");
        assertThatThrownBy(() -> template.requestBody("direct:balance", "{\"login\":50001,\"type\":\"BALANCE\","
                + "\"amount\":\"ten\"}")).hasRootCauseMessage("mt5:balance: amount 'ten' is not a decimal number");
    }

    private void assertRefused(Map<String, Object> request, int retcode) {
        assertThatThrownBy(() -> template.requestBody("direct:balance", request))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(Mt5BalanceRefusedException.class,
                        e -> assertThat(e.retcode()).as(e.getMessage()).isEqualTo(retcode));
    }
}

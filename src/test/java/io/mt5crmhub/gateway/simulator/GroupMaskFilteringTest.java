package io.mt5crmhub.gateway.simulator;

import static io.mt5crmhub.gateway.simulator.SimTestSupport.SERVER;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.runActions;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;

/** A manager connection sees only the groups of its mask, live and in every query; the books are the same. */
class GroupMaskFilteringTest {

    private static final int ACTIONS = 1_500;
    private static final Instant FOREVER = Instant.parse("2999-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aMaskShowsExactlyTheMatchingPartOfTheFullStream() throws GatewayException {
        List<Mt5Event> all;
        Map<Long, String> allClients;
        long demoLogin;
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings(dir.resolve("all")))) {
            all = runActions(simulator, ACTIONS);
            allClients = simulator.clientIdsByLogin();
            demoLogin = simulator.accounts().stream().filter(a -> a.group().startsWith("demo")).findFirst()
                    .orElseThrow().login();
        }
        List<Mt5Event> realOnly = all.stream().filter(e -> e.group().startsWith("real")).toList();
        assertThat(realOnly).isNotEmpty().hasSizeLessThan(all.size());

        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER,
                settings(dir.resolve("real"), "groups", "real*"))) {
            List<Mt5Event> seen = runActions(simulator, ACTIONS);
            assertThat(seen).isEqualTo(realOnly);
            assertThat(simulator.accounts()).isNotEmpty().allMatch(e -> e.group().startsWith("real"));
            assertThat(simulator.openPositions()).isNotEmpty().allMatch(e -> e.group().startsWith("real"));
            assertThat(simulator.dealHistory(Instant.EPOCH, FOREVER))
                    .isEqualTo(realOnly.stream().filter(e -> e.deal() != null).toList());
            assertThat(simulator.clientIdsByLogin()).isNotEmpty()
                    .allSatisfy((login, client) -> assertThat(allClients).containsEntry(login, client))
                    .doesNotContainKey(demoLogin);
            assertThat(simulator.findDeals(demoLogin, "Initial deposit", Instant.EPOCH)).isEmpty();
            assertThat(simulator.balance(new BalanceOrder(demoLogin, DealAction.BALANCE, BigDecimal.TEN, "x")).retcode())
                    .as("a login outside the mask cannot be found").isEqualTo(Mt5Retcode.ERR_NOTFOUND);
        }
    }

    @Test
    void anExclusionOnlyMaskHidesTheExcludedGroups() {
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER,
                settings(dir, "groups", "!demo*,!real\\netting"))) {
            List<Mt5Event> seen = runActions(simulator, 500);
            assertThat(seen).isNotEmpty().extracting(Mt5Event::group).doesNotContain("real\\netting")
                    .allMatch(group -> group.equals("real\\usd") || group.equals("real\\eur"));
        }
    }
}

package io.mt5crmhub.gateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;
import io.mt5crmhub.testsupport.CheckpointingListener;
import org.junit.jupiter.api.Test;

/** What a gateway whose link to MT5 can be lost must do besides the rest of the suite. */
abstract class LinkedGatewayConformanceTest extends GatewayConformanceTest {

    @Override
    protected abstract LinkedWorld startWorld(Path dir, int actionsPerSecond) throws Exception;

    @Test
    void losingMt5IsReportedWithItsReasonAndWhatItMadeMeanwhileComesBackWithIt() throws Exception {
        LinkedWorld linked = startWorld(dir, ACTIONS_PER_SECOND);
        world = linked;
        Mt5EventSource gateway = linked.gateway();
        CheckpointingListener hub = new CheckpointingListener(gateway);
        gateway.connect(hub);
        TradeServerSimulator books = linked.books();
        long start = newestTicket(books);
        awaitDealsAfter(books, start, 50);

        linked.cutLink();
        await().atMost(WAIT).until(() -> hub.disconnects() == 1);
        assertThat(gateway.isConnected()).as("connected while MT5 is unreachable").isFalse();
        List<String> calls = hub.calls();
        assertThat(calls.get(calls.size() - 1)).as("what health shows while disconnected")
                .startsWith("disconnected: ").contains("MT5 server");
        awaitDealsAfter(books, newestTicket(books), 50); // MT5 trades on meanwhile

        linked.restoreLink();
        await().atMost(WAIT).until(() -> hub.calls().size() == 3);
        assertThat(hub.calls().get(2)).isEqualTo("connected");
        assertThat(gateway.isConnected()).isTrue();
        long mark = awaitDealsAfter(books, newestTicket(books), 50).keySet().stream()
                .mapToLong(Long::longValue).max().orElseThrow();
        Set<Long> expected = allDeals(books).stream().map(e -> e.deal().ticket())
                .filter(t -> t > start && t <= mark).collect(Collectors.toSet());
        await().atMost(WAIT).untilAsserted(() -> assertThat(hub.seen())
                .as("deals made before, during and after the outage").containsAll(expected));
        assertThat(hub.failures()).isEmpty();
        assertThat(hub.repeatedDealAdds()).as("deals sent live twice").isZero();
    }
}

package io.mt5crmhub.gateway.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.mt5crmhub.testsupport.EventSamples;
import org.junit.jupiter.api.Test;

class BatchSelectorTest {

    @Test
    void exactlyOneOfLoginGroupOrTicketSelects() {
        assertThat(BatchSelector.of(Map.of("login", "50001,50002"), false).logins).containsExactly(50001L, 50002L);
        assertThat(BatchSelector.of(Map.of("ticket", "7"), false).tickets).containsExactly(7L);
        assertThat(BatchSelector.of(Map.of("group", "real*"), false).group.matches("real\\usd")).isTrue();

        assertThat(BatchSelector.of(Map.of(), false)).isNull();
        assertThat(BatchSelector.of(Map.of("login", "1", "group", "*"), false)).isNull();
        assertThat(BatchSelector.of(Map.of("login", ","), false)).as("an empty list").isNull();
        assertThat(BatchSelector.of(Map.of("login", "x"), false)).isNull();
    }

    @Test
    void dealsByLoginOrGroupNeedAWindowButNotByTicket() {
        assertThat(BatchSelector.of(Map.of("group", "*"), true)).isNull();
        assertThat(BatchSelector.of(Map.of("group", "*", "from", "1", "to", "soon"), true)).isNull();
        assertThat(BatchSelector.of(Map.of("ticket", "7"), true)).isNotNull();

        BatchSelector window = BatchSelector.of(Map.of("login", "1", "from", "100", "to", "200"), true);
        assertThat(window.from).isEqualTo(100);
        assertThat(window.to).isEqualTo(200);
    }

    @Test
    void selectsByLoginOrGroupAndMatchesTheSymbolIgnoringCase() {
        var deposit = EventSamples.deposit("sim", 1, 50001, "10", "");
        assertThat(BatchSelector.of(Map.of("login", "50001"), false).test(deposit)).isTrue();
        assertThat(BatchSelector.of(Map.of("login", "50002"), false).test(deposit)).isFalse();

        BatchSelector bySymbol = BatchSelector.of(Map.of("group", "*", "symbol", "eurusd"), false);
        assertThat(bySymbol.symbolMatches("EURUSD")).isTrue();
        assertThat(bySymbol.symbolMatches("GBPUSD")).isFalse();
        assertThat(BatchSelector.of(Map.of("group", "*"), false).symbolMatches("GBPUSD")).isTrue();
    }
}

package io.mt5crmhub.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.mt5crmhub.event.EventType;
import io.mt5crmhub.testsupport.EventSamples;
import org.junit.jupiter.api.Test;

class RoutingKeysTest {

    @Test
    void dealsCarryTheirActionOthersDoNot() {
        assertThat(RoutingKeys.of(EventSamples.deposit("sim", 1, 50001, "1", ""))).isEqualTo("sim.deal.added.balance");
        assertThat(RoutingKeys.of(EventSamples.buy("live-1", 2, 50001, 9, "1"))).isEqualTo("live-1.deal.added.buy");
        assertThat(RoutingKeys.of(EventSamples.account("sim", 50001, "1", EventSamples.T0)))
                .isEqualTo("sim.account.updated");
        assertThat(RoutingKeys.of(EventSamples.position("sim", EventType.POSITION_DELETED, 5, 50001, "1", "0",
                EventSamples.T0))).isEqualTo("sim.position.deleted");
    }
}

package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.mt5crmhub.event.EventType;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.StubEventSource;
import org.junit.jupiter.api.Test;

/** A server connection counts what MT5 sent it by type, when it last heard from it, and how often it reconnected. */
class ServerActivityTest {

    private final Mt5Connection connection = new Mt5Connection(new StubEventSource("s1"), "stub", true);

    @Test
    void countsEventsByTypeAndReconnectsAfterTheFirstConnect() throws Exception {
        assertThat(connection.lastEventAgeSeconds()).as("nothing heard yet").isNaN();

        connection.onConnected();
        connection.onEvent(EventSamples.deposit("s1", 1, 50001, "10.00", ""));
        connection.onEvent(EventSamples.deposit("s1", 2, 50001, "10.00", ""));
        connection.onDisconnected("network down");
        connection.onConnected();
        connection.onEvent(EventSamples.account("s1", 50001, "20.00", EventSamples.T0));

        ServerActivity activity = connection.activity();
        assertThat(activity.received(EventType.DEAL_ADDED)).isEqualTo(2);
        assertThat(activity.received(EventType.ACCOUNT_UPDATED)).isEqualTo(1);
        assertThat(activity.receivedTotal()).isEqualTo(3);
        assertThat(activity.reconnects()).isEqualTo(1);
        assertThat(connection.lastEventAgeSeconds()).isBetween(0.0, 5.0);
    }
}

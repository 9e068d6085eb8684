package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.RecordingListener;

/** The native gateway as the hub configures it, against the stand-in. */
class NativeGatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long T0 = 1_764_744_012_345L; // server-local ms

    private Mt5Stub.Control stub;
    private Mt5EventSource gateway;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void resetStandIn() {
        stub = Mt5Stub.reset();
        stub.stub_set_credentials(Mt5Stub.MANAGER, Mt5Stub.utf16(Mt5Stub.PASSWORD));
    }

    @AfterEach
    void disconnect() {
        if (gateway != null) {
            gateway.disconnect();
        }
    }

    @Test
    void liveDealsFlowAsHubEventsWithDecimalsAndUtcTimes() throws Exception {
        gateway = gateway(Map.of("timezone-minutes", "120"));
        gateway.connect(listener);
        assertThat(gateway.kind()).isEqualTo("native");
        assertThat(gateway.isConnected()).isTrue();

        stub.stub_deal_event(Mt5Stub.ADD, 5001, 50012, 2, 0, 0, 0, 100.1, Mt5Stub.utf16(""),
                Mt5Stub.utf16("crm:TX-9 Überweisung"), T0, 0);
        stub.stub_deal_event(Mt5Stub.ADD, 5002, 50012, 1, 1, 15000, 1.08345, -12.5, Mt5Stub.utf16("EURUSD"),
                Mt5Stub.utf16(""), T0 + 1, 0);

        await().atMost(WAIT).until(() -> listener.size() == 2);
        Mt5Event deposit = listener.snapshot().get(0);
        assertThat(deposit.type()).isEqualTo(EventType.DEAL_ADDED);
        assertThat(deposit.eventId()).isEqualTo("live1:deal:5001:added");
        assertThat(deposit.login()).isEqualTo(50012);
        assertThat(deposit.occurredAt()).isEqualTo(Instant.ofEpochMilli(T0).minus(Duration.ofHours(2)));
        assertThat(deposit.deal().action()).isEqualTo(DealAction.BALANCE);
        assertThat(deposit.deal().profit()).isEqualByComparingTo("100.1");
        assertThat(deposit.deal().comment()).isEqualTo("crm:TX-9 Überweisung");
        Mt5Event trade = listener.snapshot().get(1);
        assertThat(trade.deal().entry()).isEqualTo(DealEntry.OUT);
        assertThat(trade.deal().volume()).isEqualTo(new BigDecimal("1.5"));
        assertThat(trade.deal().price()).isEqualTo(new BigDecimal("1.08345"));
        assertThat(listener.deliveryThread().getName()).startsWith("mt5-native-pump-");
        assertThat(listener.calls()).containsExactly("connected");
    }

    @Test
    void anOutageIsReportedAndTheBackfillFindsWhatItHid() throws Exception {
        gateway = gateway(Map.of());
        gateway.connect(listener);

        stub.stub_drop_connection();
        await().atMost(WAIT).until(listener::disconnected);
        assertThat(gateway.isConnected()).isFalse();
        stub.stub_deal_event(Mt5Stub.ADD, 6001, 50012, 2, 0, 0, 0, 5, Mt5Stub.utf16(""), Mt5Stub.utf16("hidden"),
                T0, 0);
        stub.stub_restore_connection();
        await().atMost(WAIT).until(() -> listener.calls().size() == 3);

        assertThat(listener.calls().get(2)).isEqualTo("connected");
        assertThat(listener.dealTickets()).isEmpty();
        List<Mt5Event> history = gateway.dealHistory(Instant.ofEpochMilli(T0).minusSeconds(60),
                Instant.ofEpochMilli(T0).plusSeconds(60));
        assertThat(history).extracting(e -> e.deal().ticket()).containsExactly(6001L);
    }

    @Test
    void aRefusedLoginFailsTheConnectNamingThePasswordKeyAndTheRetcode() {
        gateway = gateway(Map.of("password", "wrong"));

        assertThatThrownBy(() -> gateway.connect(listener))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("mt5.server.live1.password: MT5 server live1 at 127.0.0.1:443"
                        + " refused the login of manager 1015: retcode 1001 (Login refused)");
    }

    @Test
    void anUnreachableServerFailsTheConnectNamingTheAddressKey() {
        gateway = gateway(Map.of());
        stub.stub_set_reachable(0);

        assertThatThrownBy(() -> gateway.connect(listener))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("mt5.server.live1.address: MT5 server live1 at 127.0.0.1:443"
                        + " did not connect manager 1015: retcode 10 (No connection)");
    }

    @Test
    void aMissingLibraryStopsTheGatewayWithOneLineNamingTheKey() {
        assertThatThrownBy(() -> gateway(Map.of("library", "/nowhere/MT5APIManager64.dll")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("mt5.server.live1.library: /nowhere/MT5APIManager64.dll does not exist or is not a file");
    }

    @Test
    void thePasswordStaysOutOfTheSettingsText() {
        Map<String, String> values = values(Map.of());
        NativeSettings settings = NativeSettings.from(new io.mt5crmhub.gateway.ServerSettings("live1",
                Settings.of(values)));

        assertThat(settings.toString()).doesNotContain(Mt5Stub.PASSWORD).contains("password=***");
    }

    private Mt5EventSource gateway(Map<String, String> overrides) {
        return new ConfiguredGatewayFactory(Settings.of(values(overrides))).create("live1");
    }

    private static Map<String, String> values(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of("mt5.servers", "live1",
                "mt5.server.live1.gateway", "native",
                "mt5.server.live1.library", Mt5Stub.library().toAbsolutePath().toString(),
                "mt5.server.live1.address", "127.0.0.1:443",
                "mt5.server.live1.login", Long.toString(Mt5Stub.MANAGER),
                "mt5.server.live1.password", Mt5Stub.PASSWORD,
                "mt5.server.live1.timeout", "5s"));
        overrides.forEach((k, v) -> values.put("mt5.server.live1." + k, v));
        return values;
    }
}

package io.mt5crmhub.gateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.gateway.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorSettingsTest {

    @Test
    void defaults() {
        SimulatorSettings settings = SimulatorSettings.from(server("sim", Map.of()));
        assertThat(settings.seed()).isEqualTo(42);
        assertThat(settings.rate()).isEqualTo(20);
        assertThat(settings.clients()).isEqualTo(50);
        assertThat(settings.maxLoginsPerClient()).isEqualTo(3);
        assertThat(settings.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(settings.startTime()).isEmpty();
        assertThat(settings.groups().toString()).isEqualTo("*");
        assertThat(settings.groups().matches("real\\usd")).isTrue();
        assertThat(settings.groups().matches("demo\\eur")).isTrue();
        assertThat(settings.tick()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void everySettingIsRead() {
        SimulatorSettings settings = SimulatorSettings.from(server("live-2", Map.of("mt5.server.live-2.seed", "-7",
                "mt5.server.live-2.rate", "0", "mt5.server.live-2.clients", "5",
                "mt5.server.live-2.max-logins-per-client", "1", "mt5.server.live-2.data-dir", "/tmp/x",
                "mt5.server.live-2.start-time", "2026-11-24T00:00:00Z", "mt5.server.live-2.groups", "real*,!real\\eur")));
        assertThat(settings.seed()).isEqualTo(-7);
        assertThat(settings.rate()).isZero();
        assertThat(settings.clients()).isEqualTo(5);
        assertThat(settings.maxLoginsPerClient()).isEqualTo(1);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(settings.startTime()).contains(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(settings.groups().matches("real\\usd")).isTrue();
        assertThat(settings.groups().matches("real\\eur")).isFalse();
        assertThat(settings.groups().matches("demo\\usd")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({ "0, 1", "20, 50", "3, 333", "1000, 1", "5000, 1", "0.5, 2000" })
    void theClockTicksAThousandOverTheRateMillisecondsPerActionAtLeastOne(double rate, long millis) {
        SimulatorSettings settings = SimulatorSettings.from(server("sim", Map.of("mt5.server.sim.rate",
                Double.toString(rate))));
        assertThat(settings.tick()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "seed|abc", "rate|-1", "rate|fast", "clients|0", "clients|2.5", "max-logins-per-client|0",
        "start-time|yesterday", "groups|real*,!" })
    void aBadValueNamesItsKey(String name, String value) {
        assertThatThrownBy(() -> SimulatorSettings.from(server("sim", Map.of("mt5.server.sim." + name, value))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("mt5.server.sim." + name);
    }

    @Test
    void aServerIdThatCannotBeAFileNameIsRefused() {
        assertThatThrownBy(() -> SimulatorSettings.from(server("../evil", Map.of())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("mt5.servers");
    }

    private static ServerSettings server(String id, Map<String, String> values) {
        return new ServerSettings(id, key -> Optional.ofNullable(values.get(key)));
    }
}

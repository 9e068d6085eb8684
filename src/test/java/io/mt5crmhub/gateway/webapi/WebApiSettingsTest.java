package io.mt5crmhub.gateway.webapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every webapi key is validated at start with a message naming it; secrets never appear. */
class WebApiSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        WebApiSettings s = settings();

        assertThat(s.baseUrl()).isEqualTo("https://mt5.example.com:443");
        assertThat(s.login()).isEqualTo(1000);
        assertThat(s.groups().matchesAll()).isTrue();
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.snapshotInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.overlap()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.timezoneMinutes()).isZero();
        assertThat(s.tls()).isTrue();
        assertThat(s.trustStore()).isEmpty();
        assertThat(s.pinnedSha256()).isEmpty();
        assertThat(s.toString()).doesNotContain("S3cret!");
    }

    @Test
    void valuesAreReadWithTheirUnits() {
        WebApiSettings s = settings("poll-interval", "250ms", "snapshot-interval", "2m", "overlap", "90s",
                "timezone-minutes", "-300", "groups", "real*,!real\\test*", "max-requests-per-second", "5",
                "tls-pinned-sha256", "AB:" + "cd".repeat(30) + ":EF");

        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.snapshotInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.overlap()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.timezoneMinutes()).isEqualTo(-300);
        assertThat(s.groups().matches("real\\usd")).isTrue();
        assertThat(s.groups().matches("real\\test1")).isFalse();
        assertThat(s.maxRequestsPerSecond()).isEqualTo(5);
        assertThat(s.pinnedSha256()).hasValue("ab" + "cd".repeat(30) + "ef");
    }

    @Test
    void badValuesNameTheirKey() {
        assertFails("mt5.server.live1.address is required", "address", null);
        assertFails("mt5.server.live1.address='https://mt5.example.com' is not host:port", "address",
                "https://mt5.example.com");
        assertFails("mt5.server.live1.address='mt5.example.com' is not host:port", "address", "mt5.example.com");
        assertFails("mt5.server.live1.login is required", "login", null);
        assertFails("mt5.server.live1.login='manager' is not a whole number", "login", "manager");
        assertFails("mt5.server.live1.password is required", "password", null);
        assertFails("mt5.server.live1.poll-interval='soon' is not a duration", "poll-interval", "soon");
        assertFails("mt5.server.live1.timezone-minutes=900 is out of range", "timezone-minutes", "900");
        assertFails("mt5.server.live1.max-requests-per-second=0 is out of range", "max-requests-per-second", "0");
        assertFails("mt5.server.live1.tls='maybe' is not true or false", "tls", "maybe");
        assertFails("mt5.server.live1.tls-pinned-sha256='abc' is not a SHA-256 fingerprint", "tls-pinned-sha256", "abc");
        assertFails("mt5.server.live1.groups='real*,!' is not an MT5 group mask", "groups", "real*,!");
        assertFails("mt5.server.live1.tls-trust-store='" + dir.resolve("missing.p12") + "' is not a readable file",
                "tls-trust-store", dir.resolve("missing.p12").toString());
    }

    @Test
    void trustIsConfiguredOneWayOnly() throws Exception {
        Path store = Files.createFile(dir.resolve("trust.p12"));

        assertThatThrownBy(() -> settings("tls-trust-store", store.toString(), "tls-pinned-sha256", "ab".repeat(32)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("are both set");
        assertThatThrownBy(() -> settings("tls", "false", "tls-pinned-sha256", "ab".repeat(32)))
                .hasMessageContaining("mt5.server.live1.tls=false turns TLS off");
        assertThat(settings("tls", "false").baseUrl()).isEqualTo("http://mt5.example.com:443");
    }

    @Test
    void theFactoryKnowsTheWebapiGatewayAndValidatesItsKeys() {
        Map<String, String> values = new HashMap<>(Map.of("mt5.servers", "live1", "mt5.server.live1.gateway", "webapi",
                "mt5.server.live1.address", "127.0.0.1:8443", "mt5.server.live1.login", "1000",
                "mt5.server.live1.password", "S3cret!"));
        ConfiguredGatewayFactory factory = new ConfiguredGatewayFactory(Settings.of(values));

        assertThat(factory.create("live1").kind()).isEqualTo("webapi");
        values.remove("mt5.server.live1.login");
        assertThatThrownBy(() -> new ConfiguredGatewayFactory(Settings.of(values)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("mt5.server.live1.login is required (the manager account's login)");
    }

    private void assertFails(String message, String key, String value) {
        assertThatThrownBy(() -> settings(key, value)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(message).hasMessageNotContaining("S3cret!");
    }

    private static WebApiSettings settings(String... overrides) {
        return WebApiTestSettings.of(Map.of("address", "mt5.example.com:443", "login", "1000", "password", "S3cret!"),
                overrides);
    }
}

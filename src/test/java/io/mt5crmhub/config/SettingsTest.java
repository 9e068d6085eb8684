package io.mt5crmhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    private final Settings settings = Settings.of(Map.of("a.count", " 42 ", "a.blank", "  ", "a.flag", "TRUE",
            "a.wait", "250ms", "a.secret", " s3cret ", "a.when", "2026-11-24T00:00:00Z", "a.bad", "many"));

    @Test
    void readsTrimmedTypedValuesAndTakesBlankAsUnset() {
        assertThat(settings.getLong("a.count", 0, 100)).isEqualTo(42);
        assertThat(settings.get("a.blank")).isEmpty();
        assertThat(settings.getString("a.blank", "fallback")).isEqualTo("fallback");
        assertThat(settings.getBoolean("a.flag")).isTrue();
        assertThat(settings.getDuration("a.wait", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)))
                .isEqualTo(Duration.ofMillis(250));
        assertThat(settings.getDuration("a.count", ChronoUnit.SECONDS, 0, 100)).isEqualTo(Duration.ofSeconds(42));
        assertThat(settings.getInstant("a.when")).contains(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(settings.getSecret("a.secret")).isEqualTo(" s3cret ");
    }

    @Test
    void aPrefixedReaderNamesTheFullKey() {
        Settings a = settings.under("a.");
        assertThat(a.key("count")).isEqualTo("a.count");
        assertThat(a.getInt("count", 0, 100)).isEqualTo(42);
        assertThatThrownBy(() -> a.require("missing")).isInstanceOf(ConfigurationException.class)
                .hasMessage("a.missing is required");
    }

    @Test
    void everyBadValueNamesItsKeyAndTheValue() {
        assertThatThrownBy(() -> settings.getLong("a.bad", 0, 10)).hasMessage("a.bad='many' is not a whole number");
        assertThatThrownBy(() -> settings.getLong("a.count", 0, 10)).hasMessage("a.count=42 is out of range 0..10");
        assertThatThrownBy(() -> settings.getBoolean("a.bad")).hasMessage("a.bad='many' is not true or false");
        assertThatThrownBy(() -> settings.getDuration("a.bad", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)))
                .hasMessage("a.bad='many' is not a duration such as 500ms, 2s, 5m or 1h");
        assertThatThrownBy(() -> settings.getDuration("a.wait", Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofHours(1))).hasMessage("a.wait=250ms is out of range 1s..1h");
        assertThatThrownBy(() -> settings.getInstant("a.bad")).hasMessageStartingWith("a.bad='many' is not an ISO-8601");
    }

    @Test
    void aMissingSecretIsNamedButNeverEchoed() {
        assertThatThrownBy(() -> settings.requireSecret("a.none")).hasMessage("a.none is required");
        assertThatThrownBy(() -> settings.getLong("a.secret", 0, 10)).isInstanceOf(ConfigurationException.class);
    }
}

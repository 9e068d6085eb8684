package io.mt5crmhub.gateway.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayGatewayTest {

    @TempDir
    Path dir;

    @Test
    void playsEveryValidLineInOrderAndSkipsMalformedOnes() throws Exception {
        Mt5Event first = EventSamples.deposit("rp", 1, 50001, "10", "");
        Mt5Event second = EventSamples.buy("rp", 2, 50001, 5000001, "1.00");
        Path file = EventSamples.writeJsonl(dir.resolve("events.jsonl"), List.of(
                EventSamples.json(first),
                "",
                "{\"schema\":\"mt5hub.event/v1\"}",
                "garbage",
                EventSamples.json(EventSamples.deposit("other-server", 3, 50001, "1", "")),
                EventSamples.json(second),
                EventSamples.json(first)));
        ReplayGateway gateway = ReplayGateway.create(settings(Map.of("file", file.toString())));
        RecordingListener listener = new RecordingListener();

        gateway.connect(listener);
        await().until(gateway::isFinished);
        gateway.disconnect();

        assertThat(listener.snapshot()).containsExactly(first, second, first);
        assertThat(listener.calls()).containsExactly("connected");
        assertThat(gateway.malformedLines()).isEqualTo(3);
        assertThat(gateway.deliveredEvents()).isEqualTo(3);
    }

    @Test
    void missingFileIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> ReplayGateway.create(settings(Map.of("file", dir.resolve("nope.jsonl").toString()))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mt5.server.rp.file");
        assertThatThrownBy(() -> ReplayGateway.create(settings(Map.of())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("mt5.server.rp.file is required");
    }

    @Test
    void unparsableRateNamesTheKey() throws Exception {
        Path file = EventSamples.writeJsonl(dir.resolve("e.jsonl"), List.of());

        assertThatThrownBy(() -> ReplayGateway.create(settings(Map.of("file", file.toString(), "rate", "fast"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("mt5.server.rp.rate='fast' is not a number");
    }

    private static ServerSettings settings(Map<String, String> values) {
        return new ServerSettings("rp", key -> Optional.ofNullable(values.get(key.substring("mt5.server.rp.".length()))));
    }
}

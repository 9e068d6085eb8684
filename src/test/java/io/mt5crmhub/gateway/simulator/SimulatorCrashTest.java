package io.mt5crmhub.gateway.simulator;

import static io.mt5crmhub.gateway.simulator.SimTestSupport.SERVER;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.event.Mt5Event;

/** Whatever the simulator delivered was committed for good: a killed process forgets nothing it announced. */
class SimulatorCrashTest {

    @TempDir
    Path dir;

    @Test
    void aKilledServerKeepsEveryActionItDelivered() throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingSimulatorMain.class.getName(), dir.toString(),
                "2000").redirectErrorStream(true).start();
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the child finished").isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher result = Pattern.compile("actions=(\\d+) lastDeal=(\\d+)").matcher(output);
        assertThat(result.find()).as(output).isTrue();

        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings(dir))) {
            assertThat(simulator.actionCount()).isEqualTo(Long.parseLong(result.group(1)));
            long lastDeal = Long.parseLong(result.group(2));
            assertThat(simulator.dealHistory(Instant.EPOCH, Instant.parse("2999-01-01T00:00:00Z")))
                    .extracting(e -> e.deal().ticket()).last().isEqualTo(lastDeal);
            Mt5Event next = simulator.step().stream().filter(e -> e.deal() != null).findFirst().orElse(null);
            if (next != null) {
                assertThat(next.deal().ticket()).isGreaterThan(lastDeal);
            }
        }
    }
}

package io.mt5crmhub.gateway.simulator;

import static io.mt5crmhub.gateway.simulator.SimTestSupport.SERVER;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.run;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.event.Mt5Event;

class SimulatorDeterminismTest {

    private static final int EVENTS = 3_000;

    @TempDir
    Path dir;

    @Test
    void theSameSeedAndStartTimeGiveIdenticalEventsOnFreshDataDirectories() {
        List<Mt5Event> first = firstEvents(dir.resolve("one"), "seed", "7");
        List<Mt5Event> second = firstEvents(dir.resolve("two"), "seed", "7");
        assertThat(second).isEqualTo(first);
        assertThat(second.get(EVENTS - 1).occurredAt()).isAfter(Instant.parse(SimTestSupport.START));
    }

    @Test
    void theDefaultSeedIsReproducibleToo() {
        assertThat(firstEvents(dir.resolve("two"))).isEqualTo(firstEvents(dir.resolve("one")));
    }

    @Test
    void aDifferentSeedGivesADifferentStream() {
        List<Mt5Event> seven = firstEvents(dir.resolve("one"), "seed", "7");
        List<Mt5Event> eight = firstEvents(dir.resolve("two"), "seed", "8");
        assertThat(eight).isNotEqualTo(seven);
        assertThat(eight.stream().map(Mt5Event::eventId).toList())
                .isNotEqualTo(seven.stream().map(Mt5Event::eventId).toList());
    }

    @Test
    void theClockStartsAtTheStartTimeAndMovesOneTickPerAction() {
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER,
                settings(dir, "rate", "20"))) {
            List<Mt5Event> world = simulator.takeEvents();
            assertThat(world).isNotEmpty().allMatch(e -> e.occurredAt().equals(Instant.parse(SimTestSupport.START)));
            simulator.runAction();
            simulator.runAction();
            assertThat(simulator.takeEvents()).extracting(Mt5Event::occurredAt).containsOnly(
                    Instant.parse("2026-01-05T00:00:00.050Z"), Instant.parse("2026-01-05T00:00:00.100Z"));
        }
    }

    @Test
    void withoutAStartTimeTheWallClockAtTheFirstStartIsTheEpoch() {
        Instant firstStart = Instant.parse("2027-06-01T12:00:00Z");
        SimulatorSettings settings = settings(dir, "start-time", null);
        assertThat(settings.startTime()).isEmpty();
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings, new SimulatorFaults(),
                Clock.fixed(firstStart, ZoneOffset.UTC))) {
            assertThat(simulator.takeEvents()).allMatch(e -> e.occurredAt().equals(firstStart));
        }
    }

    private static List<Mt5Event> firstEvents(Path dataDir, String... overrides) {
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings(dataDir, overrides))) {
            return run(simulator, EVENTS).subList(0, EVENTS);
        }
    }
}

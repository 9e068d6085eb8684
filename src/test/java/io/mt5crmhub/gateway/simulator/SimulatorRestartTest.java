package io.mt5crmhub.gateway.simulator;

import static io.mt5crmhub.gateway.simulator.SimTestSupport.SERVER;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.run;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.runActions;
import static io.mt5crmhub.gateway.simulator.SimTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.event.Mt5Event;

class SimulatorRestartTest {

    @TempDir
    Path dir;

    @Test
    void aRestartCarriesOnWithTheSameBooksAndRisingTickets() {
        Instant restartedAt = Instant.parse("2026-03-01T00:00:00Z");
        List<Mt5Event> before;
        List<Mt5Event> accountsBefore;
        List<Mt5Event> positionsBefore;
        long actionsBefore;
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings(dir, "start-time", null),
                new SimulatorFaults(), Clock.fixed(Instant.parse(SimTestSupport.START), ZoneOffset.UTC))) {
            before = run(simulator, 6_000);
            accountsBefore = simulator.accounts();
            positionsBefore = simulator.openPositions();
            actionsBefore = simulator.actionCount();
        }
        assertThat(Files.exists(dir.resolve("sim-" + SERVER + ".mv.db"))).isTrue();
        assertThat(positionsBefore).isNotEmpty();

        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings(dir, "start-time", null),
                new SimulatorFaults(), Clock.fixed(restartedAt, ZoneOffset.UTC))) {
            assertThat(simulator.takeEvents()).as("no new world on a restart").isEmpty();
            assertThat(simulator.accounts()).isEqualTo(accountsBefore);
            assertThat(simulator.openPositions()).isEqualTo(positionsBefore);
            assertThat(simulator.actionCount()).isEqualTo(actionsBefore);
            assertThat(simulator.clock()).as("the wall clock is later than the books").isEqualTo(restartedAt);

            List<Mt5Event> after = run(simulator, 6_000);
            assertThat(after.get(0).occurredAt()).isAfter(restartedAt);
            assertThat(firstDealTicket(after)).isGreaterThan(lastDealTicket(before));
            assertThat(after).filteredOn(e -> e.deal() != null && e.deal().action().isTrade())
                    .allMatch(e -> e.deal().order() > maxOrder(before));

            List<Mt5Event> history = new ArrayList<>(before);
            history.addAll(after);
            new EventLedger().acceptAll(history).finish().assertMatchesBooks(simulator);
        }
    }

    @Test
    void aConfiguredStartTimePinsTheTimelineAcrossRestarts() {
        Instant start = Instant.parse(SimTestSupport.START);
        Instant lastTime;
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings(dir))) {
            runActions(simulator, 100);
            lastTime = simulator.clock();
        }
        assertThat(lastTime).isEqualTo(start.plusMillis(100));
        Instant muchLater = start.plus(java.time.Duration.ofDays(300));
        try (TradeServerSimulator simulator = TradeServerSimulator.open(SERVER, settings(dir), new SimulatorFaults(),
                Clock.fixed(muchLater, ZoneOffset.UTC))) {
            assertThat(simulator.clock()).as("the wall clock does not move a pinned timeline").isEqualTo(lastTime);
            assertThat(simulator.step()).isNotEmpty().allMatch(e -> e.occurredAt().equals(lastTime.plusMillis(1)));
        }
    }

    private static long firstDealTicket(List<Mt5Event> events) {
        return events.stream().filter(e -> e.deal() != null).mapToLong(e -> e.deal().ticket()).min().orElseThrow();
    }

    private static long lastDealTicket(List<Mt5Event> events) {
        return events.stream().filter(e -> e.deal() != null).mapToLong(e -> e.deal().ticket()).max().orElseThrow();
    }

    private static long maxOrder(List<Mt5Event> events) {
        return events.stream().filter(e -> e.deal() != null).mapToLong(e -> e.deal().order()).max().orElseThrow();
    }
}

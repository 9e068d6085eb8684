package io.mt5crmhub.gateway.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.ServerSettings;

/**
 * Measures how fast the simulator produces events at rate 0 (books committed to H2 per action, as in
 * production). Not a test. Run after {@code mvn test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.mt5crmhub.gateway.simulator.SimulatorBench 100000
 * </pre>
 * where {@code target/cp.txt} comes from {@code mvn dependency:build-classpath -Dmdep.outputFile=target/cp.txt}.
 */
public final class SimulatorBench {

    private SimulatorBench() {
    }

    public static void main(String[] args) throws IOException {
        int target = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dataDir = Files.createTempDirectory("sim-bench");
        Map<String, String> config = Map.of("mt5.server.bench.rate", "0", "mt5.server.bench.data-dir",
                dataDir.toString(), "mt5.server.bench.start-time", "2026-01-05T00:00:00Z");
        SimulatorSettings settings = SimulatorSettings.from(
                new ServerSettings("bench", key -> Optional.ofNullable(config.get(key))));
        Map<String, Integer> types = new TreeMap<>();
        long events = 0;
        long started = System.nanoTime();
        try (TradeServerSimulator simulator = TradeServerSimulator.open("bench", settings)) {
            while (events < target) {
                for (Mt5Event event : simulator.step()) {
                    events++;
                    types.merge(event.type() + (event.deal() != null ? " " + event.deal().action() + "/"
                            + event.deal().entry() + "/" + event.deal().reason() : ""), 1, Integer::sum);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%d events in %d actions, %.2f s: %.0f events/s (simulated clock at %s)%n", events,
                    simulator.actionCount(), seconds, events / seconds, simulator.clock());
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        if (args.length > 1 && args[1].equals("--shapes")) {
            types.forEach((type, count) -> System.out.printf("%8d  %s%n", count, type));
        }
    }
}

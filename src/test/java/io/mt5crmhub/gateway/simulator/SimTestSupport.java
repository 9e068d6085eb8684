package io.mt5crmhub.gateway.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.ServerSettings;

/** Builds simulator settings the way the hub does (through {@link ServerSettings}) and runs engines. */
final class SimTestSupport {

    static final String SERVER = "sim1";
    static final String START = "2026-01-05T00:00:00Z";

    private SimTestSupport() {
    }

    /**
     * Settings for {@link #SERVER} at rate 0 and a fixed start time, plus {@code overrides} (name, value, ...; a
     * null value removes the setting).
     */
    static SimulatorSettings settings(Path dataDir, String... overrides) {
        return serverSettings(dataDir, overrides).map(SimulatorSettings::from).orElseThrow();
    }

    static Optional<ServerSettings> serverSettings(Path dataDir, String... overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("rate", "0");
        values.put("start-time", START);
        values.put("data-dir", dataDir.toString());
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                values.remove(overrides[i]);
            } else {
                values.put(overrides[i], overrides[i + 1]);
            }
        }
        return Optional.of(new ServerSettings(SERVER, key -> Optional.ofNullable(
                values.get(key.substring((ServerSettings.PREFIX + SERVER + ".").length())))));
    }

    /** Steps until at least {@code count} events came out; returns all of them. */
    static List<Mt5Event> run(TradeServerSimulator simulator, int count) {
        List<Mt5Event> events = new ArrayList<>(count + 64);
        while (events.size() < count) {
            events.addAll(simulator.step());
        }
        return events;
    }

    /** Runs {@code actions} generated actions; returns every event they (and anything queued before) produced. */
    static List<Mt5Event> runActions(TradeServerSimulator simulator, int actions) {
        List<Mt5Event> events = new ArrayList<>();
        for (int i = 0; i < actions; i++) {
            events.addAll(simulator.step());
        }
        return events;
    }
}

package io.mt5crmhub.gateway.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.gateway.GroupMask;
import io.mt5crmhub.gateway.ServerSettings;

/**
 * The {@code mt5.server.<id>.*} settings of a simulated MT5 server.
 *
 * @param seed               seeds every random choice; the same seed and start time give the same event stream
 * @param rate               events per second the generator paces itself to; 0 runs as fast as possible
 * @param clients            CRM clients created on a fresh start
 * @param maxLoginsPerClient logins one client may own
 * @param dataDir            where the books live (H2 file {@code <data-dir>/sim-<id>})
 * @param startTime          the simulated clock's epoch on a fresh start; empty means the wall clock
 * @param groups             the MT5 groups this manager connection may see
 */
public record SimulatorSettings(long seed, double rate, int clients, int maxLoginsPerClient, Path dataDir,
        Optional<Instant> startTime, GroupMask groups) {

    public static final long DEFAULT_SEED = 42;
    public static final double DEFAULT_RATE = 20;
    public static final int DEFAULT_CLIENTS = 50;
    public static final int DEFAULT_MAX_LOGINS_PER_CLIENT = 3;
    public static final String DEFAULT_DATA_DIR = "./data";

    /** Server ids become part of a file name. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public static SimulatorSettings from(ServerSettings settings) {
        if (!SAFE_ID.matcher(settings.id()).matches()) {
            throw new ConfigurationException("mt5.servers entry '" + settings.id()
                    + "' cannot name a simulator: use letters, digits, '-' or '_'");
        }
        return new SimulatorSettings(
                settings.getLong("seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE),
                settings.getDouble("rate", DEFAULT_RATE, 0, 1_000_000),
                (int) settings.getLong("clients", DEFAULT_CLIENTS, 1, 100_000),
                (int) settings.getLong("max-logins-per-client", DEFAULT_MAX_LOGINS_PER_CLIENT, 1, 100),
                settings.getPath("data-dir", DEFAULT_DATA_DIR),
                settings.getInstant("start-time"),
                settings.getGroupMask("groups"));
    }

    /** How far the simulated clock moves per action: 1000/rate ms, at least 1 ms. */
    public Duration tick() {
        long millis = rate <= 0 ? 1 : Math.max(1L, (long) Math.floor(1000.0 / rate));
        return Duration.ofMillis(millis);
    }
}

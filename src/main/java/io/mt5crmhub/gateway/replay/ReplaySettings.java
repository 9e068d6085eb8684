package io.mt5crmhub.gateway.replay;

import java.nio.file.Files;
import java.nio.file.Path;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.gateway.ServerSettings;

/**
 * The {@code mt5.server.<id>.*} settings of a {@code replay} gateway.
 *
 * @param file the events, one JSON event per line (required, readable)
 * @param rate events per second; 0 plays them as fast as the hub takes them
 */
public record ReplaySettings(Path file, double rate) {

    public static ReplaySettings from(ServerSettings settings) {
        Path file = Path.of(settings.require("file"));
        double rate = settings.getDouble("rate", 0, 0, 1_000_000);
        if (!Files.isReadable(file)) {
            throw new ConfigurationException(settings.key("file") + "='" + file + "' is not a readable file");
        }
        return new ReplaySettings(file, rate);
    }
}

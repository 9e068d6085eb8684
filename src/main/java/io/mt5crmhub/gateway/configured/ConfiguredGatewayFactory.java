package io.mt5crmhub.gateway.configured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.Mt5GatewayFactory;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.gateway.nativeapi.ManagerLibrary;
import io.mt5crmhub.gateway.nativeapi.NativeGateway;
import io.mt5crmhub.gateway.nativeapi.NativeSettings;
import io.mt5crmhub.gateway.replay.ReplayGateway;
import io.mt5crmhub.gateway.replay.ReplaySettings;
import io.mt5crmhub.gateway.simulator.SimulatorGateway;
import io.mt5crmhub.gateway.simulator.SimulatorSettings;
import io.mt5crmhub.gateway.webapi.WebApiGateway;
import io.mt5crmhub.gateway.webapi.WebApiSettings;

/**
 * Builds gateways from the {@code mt5.servers} and {@code mt5.server.<id>.*} settings.
 * {@code mt5.server.<id>.gateway} picks the implementation; {@code simulator} is the default. Every server's
 * settings are read (and a native gateway's library loaded) when the factory is made, so a bad one stops start-up
 * before anything connects; a gateway is only built when the component opens the server's connection.
 */
public class ConfiguredGatewayFactory implements Mt5GatewayFactory {

    public static final String SERVERS_KEY = "mt5.servers";
    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    private static final List<String> GATEWAYS = List.of("simulator", "replay", "webapi", "native");

    /** One server's checked settings and how to build its gateway from them. */
    private record Recipe(Object settings, Supplier<Mt5EventSource> build) {
    }

    private final Map<String, Recipe> recipes = new LinkedHashMap<>();

    /** @throws ConfigurationException naming the key of the first bad setting */
    public ConfiguredGatewayFactory(Settings settings) {
        for (String id : parseServerIds(settings)) {
            recipes.put(id, recipe(new ServerSettings(id, settings)));
        }
    }

    @Override
    public List<String> serverIds() {
        return new ArrayList<>(recipes.keySet());
    }

    @Override
    public Mt5EventSource create(String serverId) {
        return recipe(serverId).build().get();
    }

    /** The settings of a simulated server, or empty when the server is not a simulator. */
    public Optional<SimulatorSettings> simulatorSettings(String serverId) {
        return recipe(serverId).settings() instanceof SimulatorSettings s ? Optional.of(s) : Optional.empty();
    }

    private Recipe recipe(String serverId) {
        Recipe recipe = recipes.get(serverId);
        if (recipe == null) {
            throw new ConfigurationException("MT5 server '" + serverId + "' is not configured: " + SERVERS_KEY + "="
                    + String.join(",", recipes.keySet()));
        }
        return recipe;
    }

    private static Recipe recipe(ServerSettings settings) {
        String id = settings.id();
        String gateway = settings.getString("gateway", "simulator");
        return switch (gateway) {
            case "simulator" -> {
                SimulatorSettings s = SimulatorSettings.from(settings);
                yield new Recipe(s, () -> new SimulatorGateway(id, s));
            }
            case "replay" -> {
                ReplaySettings s = ReplaySettings.from(settings);
                yield new Recipe(s, () -> new ReplayGateway(id, s));
            }
            case "webapi" -> {
                WebApiSettings s = WebApiSettings.from(settings);
                yield new Recipe(s, () -> new WebApiGateway(s));
            }
            case "native" -> {
                NativeSettings s = NativeSettings.from(settings);
                // loaded with the settings: a missing or foreign library is a bad setting, not a failed route start
                ManagerLibrary library = NativeGateway.loadLibrary(s);
                yield new Recipe(s, () -> new NativeGateway(s, library));
            }
            default -> throw new ConfigurationException(settings.key("gateway") + "='" + gateway + "' is not a known"
                    + " gateway; use one of " + String.join(", ", GATEWAYS));
        };
    }

    private static List<String> parseServerIds(Settings settings) {
        String raw = settings.getString(SERVERS_KEY, "sim");
        Set<String> ids = new LinkedHashSet<>();
        for (String id : Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            if (!SERVER_ID.matcher(id).matches()) {
                throw new ConfigurationException(SERVERS_KEY + ": '" + id + "' is not a valid server id"
                        + " (letters, digits, '-' and '_', at most 32 characters)");
            }
            if (!ids.add(id)) {
                throw new ConfigurationException(SERVERS_KEY + ": server id '" + id + "' is listed twice");
            }
        }
        if (ids.isEmpty()) {
            throw new ConfigurationException(SERVERS_KEY + " lists no server");
        }
        return new ArrayList<>(ids);
    }
}

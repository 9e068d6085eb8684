package io.mt5crmhub.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.mt5crmhub.gateway.replay.ReplayGateway;
import io.mt5crmhub.gateway.simulator.SimulatorGateway;
import io.mt5crmhub.gateway.webapi.WebApiGateway;

/**
 * Builds gateways from the {@code mt5.servers} and {@code mt5.server.<id>.*} settings.
 * {@code mt5.server.<id>.gateway} picks the implementation; {@code simulator} is the default.
 */
public class ConfiguredGatewayFactory implements Mt5GatewayFactory {

    public static final String SERVERS_KEY = "mt5.servers";
    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    private static final List<String> GATEWAYS = List.of("simulator", "replay", "webapi");
    private static final Set<String> PLANNED = Set.of("native");

    private final Function<String, Optional<String>> lookup;

    public ConfiguredGatewayFactory(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    @Override
    public List<String> serverIds() {
        String raw = lookup.apply(SERVERS_KEY).map(String::trim).filter(s -> !s.isEmpty()).orElse("sim");
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

    @Override
    public Mt5Gateway create(String serverId) {
        if (!serverIds().contains(serverId)) {
            throw new ConfigurationException("MT5 server '" + serverId + "' is not configured: " + SERVERS_KEY + "="
                    + String.join(",", serverIds()));
        }
        ServerSettings settings = new ServerSettings(serverId, lookup);
        String gateway = settings.getString("gateway", "simulator");
        return switch (gateway) {
            case "simulator" -> SimulatorGateway.create(settings);
            case "replay" -> ReplayGateway.create(settings);
            case "webapi" -> WebApiGateway.create(settings);
            default -> throw new ConfigurationException(settings.key("gateway") + "='" + gateway + "' is not a known"
                    + " gateway; use one of " + String.join(", ", GATEWAYS)
                    + (PLANNED.contains(gateway) ? " (" + gateway + " is not in this build yet)" : ""));
        };
    }
}

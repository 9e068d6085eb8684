package io.mt5crmhub.app;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.simulator.SimulatorSettings;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;
import io.mt5crmhub.store.LoginMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the demo a CRM: on a first start with a simulator server and an empty login map, maps the simulator's
 * logins to their clients, except about one login in twenty, which stays unmapped so the unmapped path
 * (events with {@code clientId: null}) is always exercised. Real servers are never seeded: the CRM owns the map.
 */
final class DemoLoginMapSeeder {

    private static final Logger LOG = LoggerFactory.getLogger(DemoLoginMapSeeder.class);
    private static final int UNMAPPED_ONE_IN = 20;

    private final LoginMap loginMap;

    DemoLoginMapSeeder(LoginMap loginMap) {
        this.loginMap = loginMap;
    }

    void seedIfEmpty(ConfiguredGatewayFactory gateways) throws SQLException {
        for (String serverId : gateways.serverIds()) {
            Optional<SimulatorSettings> simulator = gateways.simulatorSettings(serverId);
            if (simulator.isPresent() && loginMap.isEmpty(serverId)) {
                Map<Long, String> mapped = new TreeMap<>();
                // open the books without starting the generator: nothing is produced before the routes listen
                try (TradeServerSimulator books = TradeServerSimulator.open(serverId, simulator.get())) {
                    books.clientIdsByLogin().forEach((login, clientId) -> {
                        if (!isLeftUnmapped(login)) {
                            mapped.put(login, clientId);
                        }
                    });
                }
                int added = loginMap.addAll(serverId, mapped);
                LOG.info("Seeded the demo login map of simulator server {}: {} logins mapped to clients, the rest"
                        + " left unmapped on purpose", serverId, added);
            }
        }
    }

    static boolean isLeftUnmapped(long login) {
        return Math.floorMod(Long.hashCode(login * 0x9E3779B97F4A7C15L), UNMAPPED_ONE_IN) == 0;
    }
}

package io.mt5crmhub.crm;

import java.util.Set;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;

/**
 * Which way events reach the CRM: straight from MT5 into the CRM store ({@code hub.crm.store.enabled}), and the
 * CRM-side consumers of the crm.* queues ({@code hub.crm.consumer.*}).
 *
 * @param consumerConnector {@code jdbc} (the crm-jdbc-sink on the hub database) or {@code rest} (the crm-rest-sink)
 */
public record CrmSettings(boolean storeEnabled, boolean consumerEnabled, String consumerConnector,
        int consumerPrefetch) {

    private static final Set<String> CONNECTORS = Set.of("jdbc", "rest");

    public static CrmSettings from(Settings settings) {
        String connector = settings.require("hub.crm.consumer.connector");
        if (!CONNECTORS.contains(connector)) {
            throw new ConfigurationException("hub.crm.consumer.connector must be jdbc or rest, was '" + connector + "'");
        }
        for (String entity : new String[] {"deals", "accounts", "positions"}) {
            settings.require("hub.crm.consumer.queue." + entity);
        }
        return new CrmSettings(settings.getBoolean("hub.crm.store.enabled"),
                settings.getBoolean("hub.crm.consumer.enabled"), connector,
                settings.getInt("hub.crm.consumer.prefetch", 1, 65_535));
    }
}

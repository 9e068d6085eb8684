package io.mt5crmhub.gateway;

import java.util.List;

import io.mt5crmhub.config.ConfigurationException;

/** Creates the gateway of each configured MT5 server. */
public interface Mt5GatewayFactory {

    /** The configured server ids ({@code mt5.servers}), in configuration order. */
    List<String> serverIds();

    /**
     * @throws ConfigurationException naming the key when the server is not configured or a setting is bad
     */
    Mt5EventSource create(String serverId);
}

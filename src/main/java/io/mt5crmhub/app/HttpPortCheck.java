package io.mt5crmhub.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import io.mt5crmhub.config.ConfigurationException;

/**
 * Checks the HTTP port is free before Camel starts its server: Camel 4.17 logs a failed bind of its Vert.x
 * server and carries on without HTTP, which would leave ops with a hub that has no health endpoint.
 */
final class HttpPortCheck {

    private HttpPortCheck() {
    }

    static void requireFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new ConfigurationException("hub.http.port=" + port + ": the port is already in use by another"
                    + " process (" + e.getMessage() + ")");
        }
    }
}

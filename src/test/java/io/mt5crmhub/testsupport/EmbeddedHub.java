package io.mt5crmhub.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import io.mt5crmhub.app.HubConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The hub's real main configuration (application.properties, routes/, connectors/, HubConfiguration) run inside
 * the test JVM with property overrides, started and stopped like the jar (graceful stop included).
 */
public final class EmbeddedHub implements AutoCloseable {

    private final Map<String, String> overrides = new LinkedHashMap<>();
    private Main main;

    public EmbeddedHub() {
        overrides.put("camel.server.enabled", "false");
        overrides.put("camel.management.enabled", "false");
    }

    public EmbeddedHub with(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    public EmbeddedHub start() {
        main = new Main();
        main.setPropertyPlaceholderLocations("file:application.properties");
        main.configure().addConfiguration(HubConfiguration.class);
        overrides.forEach(main::addOverrideProperty);
        main.start();
        return this;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Graceful stop, as on SIGTERM: gateways pause, queues drain, checkpoints are stored. */
    public void stop() {
        if (main != null) {
            main.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }
}

package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
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
    private int port;

    public EmbeddedHub() {
        overrides.put("camel.server.enabled", "false");
        overrides.put("camel.management.enabled", "false");
    }

    public EmbeddedHub with(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    /** One MT5 server, {@code serverId}, played from a JSONL file of events instead of the simulator. */
    public EmbeddedHub replay(String serverId, Path file) {
        return with("mt5.servers", serverId).with("mt5.server." + serverId + ".gateway", "replay")
                .with("mt5.server." + serverId + ".file", file.toString());
    }

    /** Turns the HTTP server on, on a port free now: the APIs, /status.json and the status page answer there. */
    public EmbeddedHub httpOnAFreePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return with("camel.server.enabled", "true").with("hub.http.port", Integer.toString(port));
    }

    /** {@code http://127.0.0.1:<port>} of {@link #httpOnAFreePort()}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
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

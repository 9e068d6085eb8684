package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.mt5crmhub.component.Mt5Component;
import io.mt5crmhub.component.Mt5ClusterReachability;
import io.mt5crmhub.component.Mt5ServerClaims;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.Mt5GatewayFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.StateRepository;

/**
 * A CamelContext with the {@code mt5:} component, for the component's tests. Its MT5 servers are simulators or
 * replay files configured through {@code mt5.server.<id>.*} as in application.properties, or event sources the
 * test provides (then bound as the gateway factory, as the hub binds its own). Close it to stop gracefully.
 */
public final class Mt5TestContext implements AutoCloseable {

    /** As CamelTestSupport: a graceful stop waits at most this long for the routes to drain. */
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 10;

    private final Properties properties = new Properties();
    private final List<String> servers = new ArrayList<>();
    private final Map<String, Mt5EventSource> sources = new LinkedHashMap<>();
    private final List<LambdaRouteBuilder> routes = new ArrayList<>();
    private StateRepository<String, String> checkpoints;
    private CamelClusterService clusterService;
    private Mt5ServerClaims claims;
    private Mt5ClusterReachability reachability;
    private Path overflowDirectory;
    private DefaultCamelContext context;
    private ProducerTemplate template;

    /** A simulated MT5 server with a fresh data directory; {@code settings} are key, value pairs of mt5.server.&lt;id&gt;.*. */
    public Mt5TestContext simulator(String serverId, String... settings) {
        server(serverId, "gateway", "simulator");
        try {
            server(serverId, "data-dir", Files.createTempDirectory("mt5-" + serverId).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i + 1 < settings.length; i += 2) {
            server(serverId, settings[i], settings[i + 1]);
        }
        return this;
    }

    /** An MT5 server replayed from a JSONL file. */
    public Mt5TestContext replay(String serverId, Path file) {
        server(serverId, "gateway", "replay");
        return server(serverId, "file", file.toString());
    }

    /** An MT5 server read through {@code source} (a test double) instead of a configured gateway. */
    public Mt5TestContext source(Mt5EventSource source) {
        sources.put(source.serverId(), source);
        return this;
    }

    /** Where the consumers store their checkpoints (by default in memory, per context). */
    public Mt5TestContext checkpoints(StateRepository<String, String> repository) {
        this.checkpoints = repository;
        return this;
    }

    /**
     * Shares the servers with other contexts through {@code service} (a hub instance each); {@code claims} hears every
     * server taken and given up, {@code reachability} says whether the service can be reached.
     */
    public Mt5TestContext cluster(CamelClusterService service, Mt5ServerClaims claims,
            Mt5ClusterReachability reachability) {
        this.clusterService = service;
        this.claims = claims;
        this.reachability = reachability;
        return this;
    }

    /** Where the consumers keep what their full queues cannot hold (by default nowhere: the gateway waits). */
    public Mt5TestContext overflow(Path directory) {
        this.overflowDirectory = directory;
        return this;
    }

    public Mt5TestContext routes(LambdaRouteBuilder builder) {
        routes.add(builder);
        return this;
    }

    public Mt5TestContext start() throws Exception {
        context = new DefaultCamelContext();
        context.disableJMX();
        context.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
        if (!servers.isEmpty()) {
            properties.put("mt5.servers", String.join(",", servers));
        }
        context.getPropertiesComponent().setOverrideProperties(properties);
        if (!sources.isEmpty()) {
            context.getRegistry().bind("mt5GatewayFactory", Mt5GatewayFactory.class, new SourcesFactory(sources));
        }
        if (checkpoints != null) {
            context.getRegistry().bind("mt5CheckpointRepository", StateRepository.class, checkpoints);
        }
        if (clusterService != null) {
            context.addService(clusterService);
            Mt5Component component = context.getComponent("mt5", Mt5Component.class);
            component.setClusterService(clusterService);
            component.setServerClaims(claims);
            component.setClusterReachability(reachability);
            component.setOwnershipCheckInterval(200);
        }
        if (overflowDirectory != null) {
            context.getComponent("mt5", Mt5Component.class).setOverflowDirectory(overflowDirectory.toString());
        }
        for (LambdaRouteBuilder builder : routes) {
            RouteBuilder.addRoutes(context, builder);
        }
        context.start();
        template = context.createProducerTemplate();
        return this;
    }

    public CamelContext context() {
        return context;
    }

    public ProducerTemplate template() {
        return template;
    }

    public MockEndpoint mock(String uri) {
        return context.getEndpoint(uri, MockEndpoint.class);
    }

    public Mt5Component component() {
        return context.getComponent("mt5", Mt5Component.class);
    }

    @Override
    public void close() {
        if (context != null) {
            context.stop();
        }
    }

    private Mt5TestContext server(String serverId, String key, String value) {
        if (!servers.contains(serverId)) {
            servers.add(serverId);
        }
        properties.put("mt5.server." + serverId + "." + key, value);
        return this;
    }

    private record SourcesFactory(Map<String, Mt5EventSource> sources) implements Mt5GatewayFactory {

        @Override
        public List<String> serverIds() {
            return List.copyOf(sources.keySet());
        }

        @Override
        public Mt5EventSource create(String serverId) {
            return sources.get(serverId);
        }
    }
}

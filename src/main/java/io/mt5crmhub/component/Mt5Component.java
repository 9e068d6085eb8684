package io.mt5crmhub.component;

import java.util.LinkedHashMap;
import java.util.Map;

import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.Mt5GatewayFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.StartupListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mt5:} component: MT5 trade servers as Camel endpoints. It owns exactly one connection per
 * configured server ({@code mt5.servers}, {@code mt5.server.<id>.*}) and shares it between every endpoint
 * that names the server.
 */
@org.apache.camel.spi.annotations.Component("mt5")
public class Mt5Component extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(Mt5Component.class);

    @Metadata(label = "advanced", autowired = true,
              description = "Where consumers store how far they have safely processed each deal stream, so that"
                            + " a restart back-fills from there. Without one, checkpoints live in memory only.")
    private StateRepository<String, String> checkpointRepository;
    @Metadata(label = "advanced", autowired = true,
              description = "Creates the gateway of each MT5 server. By default gateways are built from the"
                            + " mt5.servers and mt5.server.<id>.* properties.")
    private Mt5GatewayFactory gatewayFactory;
    @Metadata(label = "consumer", defaultValue = "10000",
              description = "The default queueSize of every mt5: consumer: how many events each may hold waiting"
                            + " before the gateway stops taking more from MT5. It bounds the memory a slow or"
                            + " absent sink can take; an endpoint's own queueSize wins.")
    private int queueSize = 10_000;
    @Metadata(label = "consumer",
              description = "A directory where each mt5: consumer keeps, in arrival order, the events its full queue"
                            + " cannot hold (a folder per server, stream and checkpoint id). With it, a slow or"
                            + " stopped sink falls behind and catches up from there, and the gateway goes on at the"
                            + " pace of the other sinks; without it, a full queue makes the gateway wait for every"
                            + " sink.")
    private String overflowDirectory;
    @Metadata(label = "consumer", defaultValue = "1024",
              description = "How many megabytes each consumer's overflow may hold on disk; past that the gateway"
                            + " waits for that sink, as without an overflow.")
    private long overflowMaxMegabytes = 1024;

    @Metadata(label = "advanced", autowired = true,
              description = "Shares the MT5 servers with other hub instances: each server is read by the one instance"
                            + " its election (namespace ownershipNamespacePrefix + server id) names. Without one,"
                            + " this instance reads every configured server.")
    private CamelClusterService clusterService;
    @Metadata(label = "advanced", autowired = true,
              description = "What taking and giving up a server means for the hub (its fence in the database, its"
                            + " crash recovery), with a cluster service.")
    private Mt5ServerClaims serverClaims;
    @Metadata(label = "advanced", autowired = true,
              description = "Whether the cluster service can be reached: while it cannot, no server is read or"
                            + " written here. Without one, it is taken as always reachable.")
    private Mt5ClusterReachability clusterReachability;
    @Metadata(label = "advanced", defaultValue = "mt5-",
              description = "The cluster namespace of each server's election is this prefix and the server id.")
    private String ownershipNamespacePrefix = "mt5-";
    @Metadata(label = "advanced", defaultValue = "1000",
              description = "How often, in milliseconds, each server's ownership is checked against its election,"
                            + " besides every election event.")
    private long ownershipCheckInterval = 1000;
    @Metadata(label = "advanced", defaultValue = "30000",
              description = "How long, in milliseconds, a server's election may name no leader while this instance"
                            + " takes part before this instance leaves and re-enters it (a cluster service whose"
                            + " election stalled). Longer than the time a new leader waits before it leads.")
    private long ownershipLeaderlessTimeout = 30000;

    private final Map<String, Mt5Connection> connections = new LinkedHashMap<>();
    private ClusterOwnership ownership;
    private final Map<String, Mt5ServerMetrics> serverMetrics = new LinkedHashMap<>();
    private volatile boolean contextStarted;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Mt5Stream.parse(remaining);
        Mt5Endpoint endpoint = new Mt5Endpoint(uri, this);
        endpoint.setStream(remaining);
        endpoint.setQueueSize(queueSize);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (gatewayFactory == null) {
            gatewayFactory = new ConfiguredGatewayFactory(Settings.of(key -> getCamelContext().getPropertiesComponent()
                    .resolveProperty(key)));
        }
        getCamelContext().addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                pauseAll();
            }
        });
        getCamelContext().addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // wait for the fully-started callback: only then is every route's consumer subscribed
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                connectAll();
            }
        });
    }

    /** Before the routes stop: no gateway produces anything more, so the consumers' queues can run dry. */
    private synchronized void pauseAll() {
        for (Mt5Connection connection : connections.values()) {
            connection.pauseForShutdown();
        }
    }

    private synchronized void connectAll() throws Exception {
        contextStarted = true;
        for (Mt5Connection connection : connections.values()) {
            connection.connectIfUsed();
        }
        if (clusterService != null) {
            ownership = new ClusterOwnership(getCamelContext(), clusterService,
                    clusterReachability != null ? clusterReachability : () -> null,
                    serverClaims != null ? serverClaims : Mt5ServerClaims.NONE, new ServerOwnership.Owning() {
                        @Override
                        public void take(String serverId) throws Exception {
                            takeServer(serverId);
                        }

                        @Override
                        public void giveUp(String serverId, String reason) {
                            connection(serverId).giveUp(reason);
                        }
                    }, ownershipNamespacePrefix, ownershipCheckInterval, ownershipLeaderlessTimeout);
            ownership.start(gatewayFactory.serverIds());
        }
    }

    private synchronized void takeServer(String serverId) throws Exception {
        connection(serverId).take(contextStarted);
    }

    /** Which servers this instance owns, with a cluster service; empty without one. */
    public java.util.Optional<ClusterOwnership> ownership() {
        return java.util.Optional.ofNullable(ownership);
    }

    /** Registers a consumer or producer on a server's connection; connects now if the context already runs. */
    synchronized Mt5Connection acquire(String serverId) throws Exception {
        Mt5Connection connection = connection(serverId);
        connection.acquire(contextStarted);
        return connection;
    }

    /**
     * Takes a configured server's shared connection for a user outside the routes (the balance service); it is
     * connected once the context has fully started. Give it back with {@link #releaseConnection}.
     */
    public Mt5Connection acquireConnection(String serverId) throws Exception {
        return acquire(serverId);
    }

    public synchronized void releaseConnection(Mt5Connection connection) {
        connection.release();
    }

    /** The shared connection to a configured server, created on first use. */
    synchronized Mt5Connection connection(String serverId) {
        return connections.computeIfAbsent(serverId, id -> {
            var gateway = gatewayFactory.create(id);
            Mt5Connection connection = new Mt5Connection(gateway, gateway.kind(), clusterService == null);
            serverMetrics.put(id, Mt5ServerMetrics.register(getCamelContext(), connection));
            return connection;
        });
    }

    /** The open connections, for health and operations. */
    public synchronized Map<String, Mt5Connection> connections() {
        return Map.copyOf(connections);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // here, not in doInit: camel-main binds the component's options after initialising it
        if (checkpointRepository == null) {
            LOG.warn("mt5: no checkpoint repository configured: deal checkpoints are kept in memory only and a"
                     + " restart back-fills from the initial window");
            checkpointRepository = new MemoryStateRepository();
        }
    }

    @Override
    protected void doStop() throws Exception {
        ClusterOwnership owned = ownership;
        if (owned != null) {
            owned.stop(); // outside the lock: its thread may be taking a server, which needs it
            ownership = null;
        }
        synchronized (this) {
            for (Mt5Connection connection : connections.values()) {
                connection.source().disconnect();
            }
            connections.clear();
            serverMetrics.values().forEach(Mt5ServerMetrics::remove);
            serverMetrics.clear();
        }
        super.doStop();
    }

    public StateRepository<String, String> getCheckpointRepository() {
        return checkpointRepository;
    }

    public void setCheckpointRepository(StateRepository<String, String> checkpointRepository) {
        this.checkpointRepository = checkpointRepository;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public String getOverflowDirectory() {
        return overflowDirectory;
    }

    public void setOverflowDirectory(String overflowDirectory) {
        this.overflowDirectory = overflowDirectory == null || overflowDirectory.isBlank() ? null : overflowDirectory;
    }

    public long getOverflowMaxMegabytes() {
        return overflowMaxMegabytes;
    }

    public void setOverflowMaxMegabytes(long overflowMaxMegabytes) {
        this.overflowMaxMegabytes = overflowMaxMegabytes;
    }

    public CamelClusterService getClusterService() {
        return clusterService;
    }

    public void setClusterService(CamelClusterService clusterService) {
        this.clusterService = clusterService;
    }

    public Mt5ClusterReachability getClusterReachability() {
        return clusterReachability;
    }

    public void setClusterReachability(Mt5ClusterReachability clusterReachability) {
        this.clusterReachability = clusterReachability;
    }

    public Mt5ServerClaims getServerClaims() {
        return serverClaims;
    }

    public void setServerClaims(Mt5ServerClaims serverClaims) {
        this.serverClaims = serverClaims;
    }

    public String getOwnershipNamespacePrefix() {
        return ownershipNamespacePrefix;
    }

    public void setOwnershipNamespacePrefix(String ownershipNamespacePrefix) {
        this.ownershipNamespacePrefix = ownershipNamespacePrefix;
    }

    public long getOwnershipCheckInterval() {
        return ownershipCheckInterval;
    }

    public void setOwnershipCheckInterval(long ownershipCheckInterval) {
        this.ownershipCheckInterval = ownershipCheckInterval;
    }

    public long getOwnershipLeaderlessTimeout() {
        return ownershipLeaderlessTimeout;
    }

    public void setOwnershipLeaderlessTimeout(long ownershipLeaderlessTimeout) {
        this.ownershipLeaderlessTimeout = ownershipLeaderlessTimeout;
    }

    public Mt5GatewayFactory getGatewayFactory() {
        return gatewayFactory;
    }

    public void setGatewayFactory(Mt5GatewayFactory gatewayFactory) {
        this.gatewayFactory = gatewayFactory;
    }
}

package io.mt5crmhub.cluster;

import java.util.concurrent.TimeUnit;

import io.mt5crmhub.config.ConfigurationException;
import org.apache.camel.component.zookeeper.ZooKeeperCuratorConfiguration;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hub.cluster.type=zookeeper}: Camel's {@link ZooKeeperClusterService} on a Curator client the hub owns, so
 * that the hub sees the connection's state. On Camel 4.17 a view does not report a leadership lost while cut off
 * from ZooKeeper (CAMEL-24457), so the hub stops reading and writing as soon as Curator reports the connection
 * suspended or lost, before the session expires and another instance can be elected.
 */
public final class ZooKeeperCluster implements HubCluster {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperCluster.class);

    private final CuratorFramework curator;
    private final ZooKeeperClusterService service;
    private volatile String unreachable;

    private ZooKeeperCluster(CuratorFramework curator, ZooKeeperClusterService service) {
        this.curator = curator;
        this.service = service;
    }

    /** Connects to the ensemble; one that does not answer within the connect timeout stops start-up. */
    public static ZooKeeperCluster connect(ClusterSettings settings) throws InterruptedException {
        CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(settings.zookeeperNodes())
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(settings.connectTimeout().toMillis(),
                        settings.sessionTimeout().toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(500, 29, 5000)).build();
        curator.start();
        if (!curator.blockUntilConnected((int) settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            curator.close();
            throw new ConfigurationException("hub.cluster.zookeeper.nodes='" + settings.zookeeperNodes()
                    + "': no ZooKeeper server answered within " + settings.connectTimeout().toMillis() + " ms");
        }
        ZooKeeperCuratorConfiguration configuration = new ZooKeeperCuratorConfiguration();
        configuration.setCuratorFramework(curator);
        configuration.setNodes(settings.zookeeperNodes());
        configuration.setBasePath(settings.zookeeperBasePath());
        configuration.setSessionTimeout(settings.sessionTimeout().toMillis());
        ZooKeeperClusterService service = new ZooKeeperClusterService(configuration);
        service.setId(settings.nodeId());
        ZooKeeperCluster cluster = new ZooKeeperCluster(curator, service);
        curator.getConnectionStateListenable().addListener((client, state) -> cluster.changed(state));
        LOG.info("Cluster: ZooKeeper {} (base path {}, session timeout {} ms), this instance is {}",
                settings.zookeeperNodes(), settings.zookeeperBasePath(), settings.sessionTimeout().toMillis(),
                settings.nodeId());
        return cluster;
    }

    private void changed(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> {
                unreachable = "ZooKeeper connection " + state.name().toLowerCase(java.util.Locale.ROOT);
                LOG.warn("Cluster: {}: every MT5 server owned here pauses until it is back", unreachable);
            }
            case CONNECTED, RECONNECTED -> {
                if (unreachable != null) {
                    LOG.info("Cluster: ZooKeeper reachable again");
                }
                unreachable = null;
            }
            default -> {
                // READ_ONLY: not used (the hub does not ask for read-only connections)
            }
        }
    }

    @Override
    public ZooKeeperClusterService service() {
        return service;
    }

    @Override
    public String unreachableBecause() {
        return unreachable;
    }

    @Override
    public void close() {
        curator.close();
    }
}

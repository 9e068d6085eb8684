package io.mt5crmhub.cluster;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;

/**
 * {@code hub.cluster.*}: whether this instance shares the MT5 servers with others, and how it finds them.
 *
 * @param nodeId     this instance's name in the elections and the leases; unique among the instances (on Kubernetes,
 *                   the pod's name)
 * @param kubernetes with {@code kubernetes}, where the Leases and Pods are; else null
 * @param abandonedTransactionTimeout PostgreSQL ends a transaction of this instance idle for this long (its locks
 *                   would hold up another instance's claim of a server: a frozen or cut-off former owner)
 */
public record ClusterSettings(Type type, String nodeId, String zookeeperNodes, String zookeeperBasePath,
        Duration sessionTimeout, Duration connectTimeout, KubernetesSettings kubernetes,
        Duration abandonedTransactionTimeout) {

    /** Where the elections happen. */
    public enum Type {
        /** one instance reads every server */
        NONE,
        /** Camel's ZooKeeperClusterService, for instances on VMs */
        ZOOKEEPER,
        /** Camel's KubernetesClusterService (a Lease per server) under its rebalancing, for pods of a Deployment */
        KUBERNETES
    }

    public static ClusterSettings from(Settings settings) {
        Type type = type(settings.getString("hub.cluster.type", "none"));
        String nodeId = settings.get("hub.cluster.node-id").orElseGet(() -> type == Type.KUBERNETES ? podName()
                : defaultNodeId());
        if (!nodeId.matches("[A-Za-z0-9._:-]{1,200}")) {
            throw new ConfigurationException("hub.cluster.node-id='" + nodeId + "' must be 1 to 200 letters, digits,"
                    + " dots, dashes, underscores or colons");
        }
        String nodes = null;
        if (type == Type.ZOOKEEPER) {
            nodes = settings.get("hub.cluster.zookeeper.nodes").orElseThrow(() -> new ConfigurationException(
                    "hub.cluster.type=zookeeper needs hub.cluster.zookeeper.nodes (host:port,host:port,...)"));
        }
        String basePath = settings.getString("hub.cluster.zookeeper.base-path", "/mt5-crm-hub");
        if (!basePath.matches("(/[A-Za-z0-9._-]+)+")) {
            throw new ConfigurationException("hub.cluster.zookeeper.base-path='" + basePath
                    + "' must be an absolute ZooKeeper path such as /mt5-crm-hub");
        }
        KubernetesSettings kubernetes = type == Type.KUBERNETES ? KubernetesSettings.from(settings) : null;
        return new ClusterSettings(type, nodeId, nodes, basePath,
                settings.getDuration("hub.cluster.zookeeper.session-timeout", Duration.ofSeconds(6),
                        Duration.ofSeconds(2), Duration.ofSeconds(60)),
                settings.getDuration("hub.cluster.zookeeper.connect-timeout", Duration.ofSeconds(5),
                        Duration.ofMillis(500), Duration.ofSeconds(60)), kubernetes,
                settings.getDuration("hub.cluster.abandoned-transaction-timeout", Duration.ofSeconds(10),
                        Duration.ofSeconds(1), Duration.ofMinutes(10)));
    }

    private static Type type(String raw) {
        try {
            return Type.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("hub.cluster.type='" + raw + "' must be none, zookeeper or kubernetes");
        }
    }

    /** Kubernetes sets a pod's host name to the pod's name, which is how the pod is known in the elections. */
    private static String podName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            throw new ConfigurationException("hub.cluster.type=kubernetes needs hub.cluster.node-id, the pod's name"
                    + " (HOSTNAME is not set: set HUB_CLUSTER_NODE_ID from the pod's metadata.name)");
        }
        return host;
    }

    /** The host name and the process id: unique even with two instances on one machine. */
    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "hub";
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    public boolean enabled() {
        return type != Type.NONE;
    }
}

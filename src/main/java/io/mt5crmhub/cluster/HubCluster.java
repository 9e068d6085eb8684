package io.mt5crmhub.cluster;

import io.mt5crmhub.component.Mt5ClusterReachability;
import org.apache.camel.cluster.CamelClusterService;

/** The cluster service that elects each MT5 server's owner, and whether it can be reached now. */
public interface HubCluster extends Mt5ClusterReachability, AutoCloseable {

    /** The one cluster service registered with the context and set on the {@code mt5:} component. */
    CamelClusterService service();

    @Override
    void close();

    /** Connects to what {@code hub.cluster.type} names; one that cannot be reached stops start-up. */
    static HubCluster connect(ClusterSettings settings) throws InterruptedException {
        return switch (settings.type()) {
            case ZOOKEEPER -> ZooKeeperCluster.connect(settings);
            case KUBERNETES -> KubernetesCluster.connect(settings);
            case NONE -> throw new IllegalArgumentException("hub.cluster.type=none has no cluster to connect to");
        };
    }
}

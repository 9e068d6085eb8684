package io.mt5crmhub.app;

import java.util.List;

import io.mt5crmhub.app.StoreConfigurer.HubStore;
import io.mt5crmhub.cluster.ClusterSettings;
import io.mt5crmhub.cluster.LeaseClaims;
import io.mt5crmhub.cluster.HubCluster;
import io.micrometer.core.instrument.Tags;
import io.mt5crmhub.component.HubMeters;
import io.mt5crmhub.component.Mt5Component;
import org.apache.camel.CamelContext;

/**
 * With {@code hub.cluster.type} other than none: the cluster service that elects each MT5 server's owner, started with
 * the context and set on the {@code mt5:} component, the claims that raise a server's fence before its gateway
 * connects, and the fence's refusals sent back to the server's ownership.
 */
final class ClusterConfigurer {

    private final HubBeans beans;
    private final CamelContext context;

    ClusterConfigurer(HubBeans beans, CamelContext context) {
        this.beans = beans;
        this.context = context;
    }

    void configure(ClusterSettings settings, HubStore store, List<String> serverIds, List<LeaseClaims.Recovery> recovery)
            throws Exception {
        if (!settings.enabled()) {
            return;
        }
        HubCluster cluster = HubCluster.connect(settings);
        beans.closeAtStop(cluster);
        context.addService(cluster.service());
        Mt5Component mt5 = context.getComponent("mt5", Mt5Component.class);
        mt5.setClusterService(cluster.service());
        mt5.setClusterReachability(cluster);
        if (settings.kubernetes() != null) {
            mt5.setOwnershipLeaderlessTimeout(settings.kubernetes().leaderlessTimeout().toMillis());
        }
        mt5.setServerClaims(new LeaseClaims(store.leases(), recovery));
        store.leases().onFenced(fenced -> mt5.ownership()
                .ifPresent(ownership -> ownership.fenced(fenced.serverId(), fenced.getMessage())));
        beans.metersWithContext(() -> {
            HubMeters meters = HubMeters.of(context);
            for (String server : serverIds) {
                meters.counter("hub.server.fenced", "writes", "writes of the MT5 server this instance tried"
                        + " after another instance had taken it, refused by its fence",
                        Tags.of("server", server, "instance", settings.nodeId()), store.leases(),
                        leases -> leases.refusedWrites(server));
            }
            return meters;
        });
    }
}

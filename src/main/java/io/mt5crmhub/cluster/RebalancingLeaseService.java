package io.mt5crmhub.cluster;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.support.cluster.RebalancingCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's rebalancing over its Kubernetes cluster service, with two corrections for Camel 4.17:
 * <ul>
 * <li>a view that stops keeps its Lease: the other pods would wait until this pod is gone from the Ready members (a
 * rolling update: the pod's termination, then a lease duration). Emptying the holder once the server is given up
 * lets the next pod take it at its next retry;</li>
 * <li>each time the rebalancing turns a view's participation on or off, the view's controller starts one more
 * polling loop (two more API calls per retry period, for the pod's life). A view whose participation changed is
 * restarted, with one loop, once it neither leads nor holds its Lease (so nothing of its leadership is lost).</li>
 * </ul>
 */
public final class RebalancingLeaseService extends RebalancingCamelClusterService {

    private static final Logger LOG = LoggerFactory.getLogger(RebalancingLeaseService.class);

    /** The Leases of the hub's namespace. */
    interface Leases {
        Lease get(String name);

        /** Replaces the Lease if nobody changed it since it was read (its resource version). */
        void update(Lease lease);
    }

    private final Leases leases;
    /** Namespaces whose participation changed since their view last started (only the rebalancing thread uses it). */
    private final Set<String> toRestart = new TreeSet<>();
    private final String leasePrefix;
    private final String podName;

    RebalancingLeaseService(KubernetesClusterService delegate, long periodMillis, Leases leases, String leasePrefix,
            String podName) {
        super(delegate, periodMillis);
        this.leases = leases;
        this.leasePrefix = leasePrefix;
        this.podName = podName;
    }

    @Override
    protected void setDisabled(String partition, boolean disabled) {
        try {
            if (getDelegate().getView(partition).isDisabled() != disabled) {
                toRestart.add(partition);
            }
        } catch (Exception e) {
            LOG.debug("Could not read the view of {}: {}", partition, e.toString());
        }
        super.setDisabled(partition, disabled);
    }

    @Override
    protected void reconcile() {
        for (Iterator<String> it = toRestart.iterator(); it.hasNext();) {
            String namespace = it.next();
            try {
                CamelPreemptiveClusterView view = getDelegate().getView(namespace);
                Lease lease = leases.get(leaseName(leasePrefix, namespace));
                boolean holds = lease != null && lease.getSpec() != null
                        && podName.equals(lease.getSpec().getHolderIdentity());
                if (!view.getLocalMember().isLeader() && !holds) {
                    stopView(namespace);
                    startView(namespace);
                    it.remove();
                }
            } catch (Exception e) {
                LOG.debug("Could not restart the view of {} (tried again): {}", namespace, e.toString());
            }
        }
        super.reconcile();
    }

    /** Called once the server is given up here: the election is left, then the Lease emptied if it names this pod. */
    @Override
    public void releaseView(CamelClusterView view) throws Exception {
        // the rebalancing retains a view at each of its passes (AbstractCamelClusterService counts references), so a
        // release alone would leave it running: stop it, then its Lease can be handed over without being taken back
        stopView(view.getNamespace());
        super.releaseView(view);
        String name = leaseName(leasePrefix, view.getNamespace());
        try {
            Lease lease = leases.get(name);
            if (lease == null || lease.getSpec() == null || !podName.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            leases.update(new LeaseBuilder(lease).editSpec().withHolderIdentity(null).withAcquireTime(null)
                    .withRenewTime(null).withLeaseDurationSeconds(null).endSpec().build());
            LOG.info("Lease {} handed over: the next pod takes its MT5 server at its next retry", name);
        } catch (RuntimeException e) {
            LOG.warn("Lease {} not handed over ({}): the next pod takes it once this pod has left the Ready members",
                    name, e.getMessage());
        }
    }

    /** The Lease Camel 4.17's KubernetesClusterService keeps for a namespace (NativeLeaseResourceManager's rule). */
    static String leaseName(String prefix, String namespace) {
        String id = (prefix + "-" + namespace).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-.]", "-");
        return id.replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
    }
}

package io.mt5crmhub.component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which configured MT5 servers this instance reads when several hub instances share them: one election per server
 * (the cluster service's namespace {@code <prefix><serverId>}), reconciled on one thread at every election event and
 * every {@code reconcileInterval}, so that a missed or wrong event is corrected within that interval.
 */
public final class ClusterOwnership {

    /** One server's ownership, for health, metrics and the status page. */
    public record ServerState(String serverId, String state, String instanceId, String leaderId, long epoch,
            Instant since, String reason) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterOwnership.class);

    private final CamelContext context;
    private final CamelClusterService cluster;
    private final Mt5ServerClaims claims;
    private final ServerOwnership.Owning owning;
    private final String namespacePrefix;
    private final long reconcileMillis;
    /** Set once at start (read by any thread after), emptied at stop. */
    private volatile Map<String, ServerOwnership> servers = Map.of();
    private volatile String clusterProblem;
    private ScheduledExecutorService thread;

    ClusterOwnership(CamelContext context, CamelClusterService cluster, Mt5ServerClaims claims,
            ServerOwnership.Owning owning, String namespacePrefix, long reconcileMillis) {
        this.context = context;
        this.cluster = cluster;
        this.claims = claims;
        this.owning = owning;
        this.namespacePrefix = namespacePrefix;
        this.reconcileMillis = reconcileMillis;
    }

    /** Joins the election of every server; the first pass runs at once. */
    synchronized void start(List<String> serverIds) throws Exception {
        thread = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "mt5-ownership");
        CamelClusterEventListener.Leadership onChange = (view, leader) -> reconcileSoon();
        Map<String, ServerOwnership> joined = new LinkedHashMap<>();
        for (String serverId : serverIds) {
            String namespace = namespacePrefix + serverId;
            CamelClusterView view = cluster.getView(namespace);
            ServerOwnership ownership = new ServerOwnership(serverId, namespace, cluster, view, claims, owning);
            joined.put(serverId, ownership);
            view.addEventListener(onChange);
        }
        servers = java.util.Collections.unmodifiableMap(joined);
        LOG.info("MT5 servers {} are shared with other hub instances: this one ({}) reads those it is elected for",
                serverIds, cluster.getId());
        thread.scheduleWithFixedDelay(this::reconcileAll, 0, reconcileMillis, TimeUnit.MILLISECONDS);
    }

    /** Gives every owned server up and leaves the elections, so another instance takes them at once. */
    synchronized void stop() {
        if (thread != null) {
            context.getExecutorServiceManager().shutdownGraceful(thread, reconcileMillis * 4);
            thread = null;
        }
        for (ServerOwnership ownership : servers.values()) {
            if (ownership.state() == ServerOwnership.State.OWNER) {
                owning.giveUp(ownership.serverId(), "this instance stops");
                claims.released(ownership.serverId());
            }
            try {
                cluster.releaseView(ownership.view());
            } catch (Exception e) {
                LOG.warn("Could not leave the election of MT5 server {}: {}", ownership.serverId(), e.getMessage());
            }
        }
        servers = Map.of();
    }

    /** The cluster service cannot be reached: every owned server pauses (nothing read or written) until it is. */
    public void clusterUnreachable(String reason) {
        clusterProblem = reason;
        reconcileSoon();
    }

    /** The cluster service is reachable again: servers are taken as the elections say. */
    public void clusterReachable() {
        clusterProblem = null;
        reconcileSoon();
    }

    /** A write of {@code serverId} was refused by its fence: the server is given up here. Any thread, never waits. */
    public void fenced(String serverId, String reason) {
        ServerOwnership ownership = servers.get(serverId);
        if (ownership != null) {
            ownership.fenced(reason);
            reconcileSoon();
        }
    }

    /** Every server's ownership as of now. */
    public List<ServerState> states() {
        List<ServerState> states = new ArrayList<>();
        for (ServerOwnership o : servers.values()) {
            states.add(new ServerState(o.serverId(), o.state().name().toLowerCase(java.util.Locale.ROOT),
                    cluster.getId(), o.leaderId(), o.epoch(), o.since(), o.reason()));
        }
        return states;
    }

    private void reconcileSoon() {
        ScheduledExecutorService t = thread;
        if (t != null) {
            t.execute(this::reconcileAll);
        }
    }

    private void reconcileAll() {
        for (ServerOwnership ownership : servers.values()) {
            try {
                ownership.reconcile(clusterProblem);
            } catch (RuntimeException e) {
                LOG.warn("MT5 server {}: ownership pass failed: {}", ownership.serverId(), e.toString(), e);
            }
        }
    }
}

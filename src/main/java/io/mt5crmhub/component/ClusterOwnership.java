package io.mt5crmhub.component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.RebalancingCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which configured MT5 servers this instance reads when several hub instances share them: one election per server
 * (the cluster service's namespace {@code <prefix><serverId>}), reconciled on one thread at every election event and
 * every {@code reconcileInterval}, so that a missed or wrong event is corrected within that interval. What the
 * cluster service must be asked (who leads, who takes part: reads that wait while ZooKeeper is away) is asked on an
 * election thread of its own, so that pausing the servers when ZooKeeper is lost never waits for ZooKeeper.
 * <p>
 * Spreading: a ZooKeeper election names whoever joined first, so the instance started first would own every server.
 * Every {@value #FAIR_SHARE_PASSES} passes, an instance that owns more than its share (the servers divided by the
 * instances taking part in any of their elections, rounded up) hands one server, the one it took last, to the next
 * instance waiting in that server's election. One server per round, so the servers spread without all moving at
 * once, and never a server nobody else waits for. Under Camel's {@link RebalancingCamelClusterService} (Kubernetes),
 * Camel spreads the servers itself, by keeping an instance out of the elections beyond its share.
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
    private final long leaderlessMillis;
    private final Mt5ClusterReachability reachability;
    /** Set once at start (read by any thread after), emptied at stop. */
    private volatile Map<String, ServerOwnership> servers = Map.of();
    static final int FAIR_SHARE_PASSES = 10;
    /** Passes of the election thread (only it uses this). */
    private int passes;
    /** The cluster service's problem at the previous pass (only the ownership thread uses it). */
    private String previousProblem;
    /** Takes and gives up servers; never waits for the cluster service. */
    private ScheduledExecutorService thread;
    /** Asks the cluster service who leads and takes part, and re-enters elections; may wait while it is away. */
    private ScheduledExecutorService electionThread;
    private HubMeters meters;

    ClusterOwnership(CamelContext context, CamelClusterService cluster, Mt5ClusterReachability reachability,
            Mt5ServerClaims claims, ServerOwnership.Owning owning, String namespacePrefix, long reconcileMillis,
            long leaderlessMillis) {
        this.leaderlessMillis = leaderlessMillis;
        this.reachability = reachability;
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
        electionThread = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "mt5-election");
        CamelClusterEventListener.Leadership onChange = (view, leader) -> reconcileSoon();
        Map<String, ServerOwnership> joined = new LinkedHashMap<>();
        for (String serverId : serverIds) {
            String namespace = namespacePrefix + serverId;
            CamelClusterView view = cluster.getView(namespace);
            ServerOwnership ownership = new ServerOwnership(serverId, namespace, cluster, view, claims, owning,
                    java.time.Duration.ofMillis(reconcileMillis * 3),
                    (int) Math.max(1, (leaderlessMillis + reconcileMillis - 1) / reconcileMillis));
            joined.put(serverId, ownership);
            view.addEventListener(onChange);
        }
        servers = Collections.unmodifiableMap(joined);
        meters = HubMeters.of(context);
        for (ServerOwnership o : joined.values()) {
            Tags tags = Tags.of("server", o.serverId(), "instance", cluster.getId());
            meters.gauge("hub.server.owned", null, "1 while this hub instance owns the MT5 server", tags, o,
                    own -> own.state() == ServerOwnership.State.OWNER ? 1 : 0);
            meters.gauge("hub.server.epoch", null, "the server's epoch (fencing token) this instance took it with"
                    + " last", tags, o, ServerOwnership::epoch);
            meters.gauge("hub.server.ownership.since", "seconds", "when this instance's ownership of the server last"
                    + " changed, in seconds since the epoch", tags, o, own -> own.since().toEpochMilli() / 1e3);
        }
        LOG.info("MT5 servers {} are shared with other hub instances: this one ({}) reads those it is elected for",
                serverIds, cluster.getId());
        thread.scheduleWithFixedDelay(this::reconcileAll, 0, reconcileMillis, TimeUnit.MILLISECONDS);
        electionThread.scheduleWithFixedDelay(this::observeAll, 0, reconcileMillis, TimeUnit.MILLISECONDS);
    }

    /** Gives every owned server up and leaves the elections, so another instance takes them at once. */
    synchronized void stop() {
        if (thread != null) {
            context.getExecutorServiceManager().shutdownGraceful(thread, reconcileMillis * 4);
            thread = null;
        }
        if (electionThread != null) {
            context.getExecutorServiceManager().shutdownNow(electionThread); // it may be waiting for ZooKeeper
            electionThread = null;
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
        if (meters != null) {
            meters.remove();
            meters = null;
        }
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
            states.add(stateOf(o));
        }
        return states;
    }

    /** One server's ownership as of now; empty for a server this instance does not share. */
    public Optional<ServerState> stateOf(String serverId) {
        ServerOwnership o = servers.get(serverId);
        return o == null ? Optional.empty() : Optional.of(stateOf(o));
    }

    private ServerState stateOf(ServerOwnership o) {
        return new ServerState(o.serverId(), o.state().name().toLowerCase(Locale.ROOT), cluster.getId(),
                o.leaderId(), o.epoch(), o.since(), o.reason());
    }

    private void reconcileSoon() {
        ScheduledExecutorService t = thread;
        if (t != null) {
            t.execute(this::reconcileAll);
        }
    }

    private void reconcileAll() {
        String problem = reachability.unreachableBecause();
        if (problem == null && previousProblem != null) {
            // Curator cancels a leadership when its connection is suspended, and Camel 4.17's view does not enter
            // the election again: leave and re-enter it, or this instance would never own a server again
            servers.values().forEach(ServerOwnership::requestRejoin);
        }
        previousProblem = problem;
        for (ServerOwnership ownership : servers.values()) {
            try {
                ownership.reconcile(problem);
            } catch (RuntimeException e) {
                LOG.warn("MT5 server {}: ownership pass failed: {}", ownership.serverId(), e.toString(), e);
            }
        }
    }

    private void observeAll() {
        for (ServerOwnership ownership : servers.values()) {
            try {
                ownership.observe();
            } catch (RuntimeException e) {
                LOG.warn("MT5 server {}: election pass failed: {}", ownership.serverId(), e.toString(), e);
            }
        }
        if (reachability.unreachableBecause() == null && ++passes % FAIR_SHARE_PASSES == 0
                && !(cluster instanceof RebalancingCamelClusterService)) {
            shareFairly();
        }
    }

    private void shareFairly() {
        List<ServerOwnership> owned = servers.values().stream()
                .filter(o -> o.state() == ServerOwnership.State.OWNER).toList();
        if (owned.size() <= 1) {
            return;
        }
        Set<String> instances = new TreeSet<>();
        servers.values().forEach(o -> instances.addAll(o.participants()));
        int share = (servers.size() + Math.max(1, instances.size()) - 1) / Math.max(1, instances.size());
        if (owned.size() <= share) {
            return;
        }
        owned.stream().filter(o -> o.participants().size() > 1).max(Comparator.comparing(ServerOwnership::since))
                .ifPresent(o -> o.yieldToAnother("handed to another instance: this one owned " + owned.size()
                        + " of " + servers.size() + " servers, more than its share of " + share + " among "
                        + instances.size() + " instances"));
    }
}

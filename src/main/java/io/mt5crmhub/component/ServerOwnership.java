package io.mt5crmhub.component;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this hub instance owns one MT5 server, reconciled from facts known without asking anyone: whether the
 * cluster service is reachable, whether the election's local member leads, whether a write of the server was refused
 * by the fence, whether this instance should hand the server over. Two threads of {@link ClusterOwnership} work on
 * it: the ownership thread ({@link #reconcile}) takes and gives up the server and never waits for the cluster service;
 * the election thread ({@link #observe}) asks the cluster service who leads and who takes part, which waits while it
 * is away, and leaves and re-enters the election when asked to.
 * <p>
 * The election is read on every pass, not only when an event says it changed: on Camel 4.17 a ZooKeeper view can
 * report the local member as leader after it lost leadership (CAMEL-24457), and never tells afterwards.
 */
final class ServerOwnership {

    /** What this instance does with the server. */
    enum State {
        /** another instance owns it, or none yet: this one waits in the election */
        STANDBY,
        /** elected, fence raised, gateway connected (or connecting) */
        OWNER,
        /** a write was refused: another instance took the server; this one re-joins the election */
        FENCED,
        /** the cluster service is unreachable: nothing is read or written until it is back */
        PAUSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServerOwnership.class);
    private static final int PARTICIPATION_CHECK_PASSES = 5;
    /**
     * Passes without any leader while this instance takes part before it re-enters the election. On Camel 4.17 a
     * Kubernetes view whose Lease renewal met a conflict stops its controller for good (the exception ends its
     * scheduled loop): the Lease still names this pod, so no other pod may take it, and this one no longer leads.
     */
    private final int leaderlessPasses;

    private final String serverId;
    private final String namespace;
    private final CamelClusterService cluster;
    private final CamelClusterView view;
    private final Mt5ServerClaims claims;
    private final Owning connection;
    private final long holdOffNanos;
    private volatile State state = State.STANDBY;
    private volatile long epoch;
    private volatile Instant since = Instant.now();
    private volatile String reason = "waiting for the election";
    private volatile String fencedBecause;
    private volatile String yieldBecause;
    private volatile boolean rejoinRequested;
    /** After leaving the election: the view may still name this instance for a moment; not taken before this. */
    private volatile long notBeforeNanos = System.nanoTime();
    /** What the election thread last learnt: who leads, who takes part. */
    private volatile String leaderId;
    private volatile Set<String> participants = Set.of();
    /** Whether this instance was among the election's members at the election thread's last pass. */
    private volatile boolean participating;
    private int passesSinceParticipationCheck;
    private int passesWithoutLeader;

    /** The component's side of owning: the connection taken or given up. */
    interface Owning {
        void take(String serverId) throws Exception;

        void giveUp(String serverId, String reason);
    }

    /**
     * @param holdOff          how long after leaving the election the server is not taken again, whatever the view says
     * @param leaderlessPasses election passes without a leader, while this instance takes part, before it re-enters
     */
    ServerOwnership(String serverId, String namespace, CamelClusterService cluster, CamelClusterView view,
            Mt5ServerClaims claims, Owning connection, Duration holdOff, int leaderlessPasses) {
        this.leaderlessPasses = leaderlessPasses;
        this.serverId = serverId;
        this.namespace = namespace;
        this.cluster = cluster;
        this.view = view;
        this.claims = claims;
        this.connection = connection;
        this.holdOffNanos = holdOff.toNanos();
    }

    String serverId() {
        return serverId;
    }

    CamelClusterView view() {
        return view;
    }

    State state() {
        return state;
    }

    long epoch() {
        return epoch;
    }

    Instant since() {
        return since;
    }

    String reason() {
        return reason;
    }

    /** The instance the election named at the election thread's last pass that could ask; kept, never asked here. */
    String leaderId() {
        return leaderId;
    }

    /** The instances in the election at the election thread's last pass (this one included while it takes part). */
    Set<String> participants() {
        return participants;
    }

    /** A write of this server was refused by the fence; the next pass gives the server up. Any thread. */
    void fenced(String why) {
        fencedBecause = why;
    }

    /** This instance owns more than its share: the next pass hands the server to the next instance waiting. */
    void yieldToAnother(String why) {
        yieldBecause = why;
    }

    /** The cluster service is back: leave and re-enter the election (Curator left it when it was lost). */
    void requestRejoin() {
        holdOff();
        rejoinRequested = true;
    }

    /** One pass of the ownership thread: takes or gives up the server as the facts say now. Never waits for ZooKeeper. */
    void reconcile(String clusterProblem) {
        String fence = fencedBecause;
        if (fence != null) {
            fencedBecause = null;
            if (state == State.OWNER) {
                giveUp(State.FENCED, fence);
                requestRejoin();
            }
            return;
        }
        if (clusterProblem != null) {
            if (state == State.OWNER) {
                giveUp(State.PAUSED, clusterProblem);
            } else if (state != State.PAUSED) {
                moveTo(State.PAUSED, clusterProblem);
            }
            return;
        }
        String handOver = yieldBecause;
        if (handOver != null) {
            yieldBecause = null;
            if (state == State.OWNER) {
                giveUp(State.STANDBY, handOver);
                requestRejoin();
                return;
            }
        }
        boolean leader = isLocalLeader();
        if (leader && state != State.OWNER && System.nanoTime() - notBeforeNanos < 0) {
            return; // just left the election: another instance is about to be named
        }
        if (leader && state != State.OWNER) {
            take();
        } else if (!leader && state == State.OWNER) {
            String elected = leaderId;
            giveUp(State.STANDBY, elected == null || elected.equals(cluster.getId())
                    ? "this instance no longer leads the election" : "instance " + elected + " was elected");
        } else if (!leader && state != State.STANDBY && state != State.FENCED) {
            moveTo(State.STANDBY, "waiting for the election");
        } else if (leader) {
            retryConnect();
        }
    }

    /**
     * One pass of the election thread: learns who leads and who takes part, leaves and re-enters the election when
     * asked, and enters it again when this instance fell out of it. Each question may wait while the cluster
     * service is away.
     */
    void observe() {
        if (rejoinRequested) {
            rejoinRequested = false;
            rejoin();
        }
        try {
            leaderId = view.getLeader().map(CamelClusterMember::getId).orElse(null);
            Set<String> ids = new TreeSet<>();
            boolean local = false;
            for (CamelClusterMember member : view.getMembers()) {
                ids.add(member.getId());
                local |= member.isLocal();
            }
            participants = ids;
            participating = local;
            passesWithoutLeader = leaderId == null && local ? passesWithoutLeader + 1 : 0;
            if (passesWithoutLeader >= leaderlessPasses) {
                passesWithoutLeader = 0;
                LOG.warn("MT5 server {}: no instance has led its election for {} passes: this instance ({}) enters it"
                        + " again", serverId, leaderlessPasses, cluster.getId());
                rejoin();
                return;
            }
            if (!local && state != State.OWNER && ++passesSinceParticipationCheck >= PARTICIPATION_CHECK_PASSES
                    && System.nanoTime() - notBeforeNanos >= 0) {
                passesSinceParticipationCheck = 0;
                // Curator leaves the election when it cancels a leadership, and a re-entry that raced the end of the
                // previous turn is lost: enter again
                LOG.info("MT5 server {}: this instance ({}) was not in the election any more: entering it again",
                        serverId, cluster.getId());
                rejoin();
            }
        } catch (RuntimeException e) {
            // the cluster service is away: keep what was known; the ownership thread pauses the server
        }
    }

    /**
     * The view names this instance leader, and this instance is among the election's members. On Camel 4.17 a
     * Kubernetes view reports the Lease's holder as leader even when the holder is no member any more (its pod is not
     * Ready or deleted): that pod's own view would name it leader for a lease duration after it left. A Kubernetes
     * (preemptive) view answers its members from what its controller last read, so it is asked now; a ZooKeeper view
     * would ask ZooKeeper, which may wait, so the election thread's last answer stands for it.
     */
    private boolean isLocalLeader() {
        try {
            CamelClusterMember local = view.getLocalMember();
            if (local == null || !local.isLeader()) {
                return false;
            }
            return view instanceof CamelPreemptiveClusterView
                    ? view.getMembers().stream().anyMatch(CamelClusterMember::isLocal) : participating;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void take() {
        long claimed;
        try {
            claimed = claims.claim(serverId);
        } catch (Exception e) {
            reason = "elected, but the claim failed (tried again): " + e.getMessage();
            LOG.warn("MT5 server {}: elected, but its fence could not be raised, tried again: {}", serverId,
                    e.getMessage());
            return;
        }
        epoch = claimed;
        moveTo(State.OWNER, "elected");
        LOG.info("MT5 server {} owned by this instance ({}), epoch {}", serverId, cluster.getId(), claimed);
        retryConnect();
    }

    private void retryConnect() {
        try {
            connection.take(serverId);
        } catch (Exception e) {
            reason = "owned, cannot connect (tried again): " + e.getMessage();
            LOG.warn("MT5 server {}: owned, but its gateway did not connect, tried again: {}", serverId, e.getMessage());
        }
    }

    private void giveUp(State next, String why) {
        connection.giveUp(serverId, why);
        claims.released(serverId);
        moveTo(next, why);
        LOG.warn("MT5 server {} given up by this instance ({}): {}", serverId, cluster.getId(), why);
    }

    private void holdOff() {
        notBeforeNanos = System.nanoTime() + holdOffNanos;
    }

    /** Leaves and re-enters the election (the election thread): the view may still name this instance meanwhile. */
    private void rejoin() {
        holdOff();
        try {
            cluster.stopView(namespace);
            cluster.startView(namespace);
        } catch (Exception e) {
            LOG.warn("MT5 server {}: could not re-join the election of {}: {}", serverId, namespace, e.getMessage());
        }
        holdOff();
    }

    private void moveTo(State next, String why) {
        state = next;
        reason = why;
        since = Instant.now();
    }
}

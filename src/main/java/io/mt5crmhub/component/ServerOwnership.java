package io.mt5crmhub.component;

import java.time.Instant;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this hub instance owns one MT5 server, reconciled from three facts: the cluster service's election (the
 * server's namespace), whether the cluster service is reachable at all, and whether a write of the server was
 * refused by the fence. Only the ownership thread of {@link ClusterOwnership} calls {@link #reconcile}.
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

    private final String serverId;
    private final String namespace;
    private final CamelClusterService cluster;
    private final CamelClusterView view;
    private final Mt5ServerClaims claims;
    private final Owning connection;
    private volatile State state = State.STANDBY;
    private volatile long epoch;
    private volatile Instant since = Instant.now();
    private volatile String reason = "waiting for the election";
    private volatile String fencedBecause;
    /** After leaving the election: the view may still name this instance for a moment; not taken before this. */
    private long notBeforeNanos;
    private final long holdOffNanos;
    private static final int PARTICIPATION_CHECK_PASSES = 5;
    private int passesSinceParticipationCheck;

    /** The component's side of owning: the connection taken or given up. */
    interface Owning {
        void take(String serverId) throws Exception;

        void giveUp(String serverId, String reason);
    }

    /** @param holdOff how long after leaving the election the server is not taken again, whatever the view says */
    ServerOwnership(String serverId, String namespace, CamelClusterService cluster, CamelClusterView view,
            Mt5ServerClaims claims, Owning connection, java.time.Duration holdOff) {
        this.holdOffNanos = holdOff.toNanos();
        this.serverId = serverId;
        this.namespace = namespace;
        this.cluster = cluster;
        this.view = view;
        this.claims = claims;
        this.connection = connection;
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

    /** The instance the election names for the server, if any is known. */
    String leaderId() {
        try {
            return view.getLeader().map(CamelClusterMember::getId).orElse(null);
        } catch (RuntimeException e) {
            return null; // the cluster service is away
        }
    }

    /** A write of this server was refused by the fence; the next pass gives the server up. Any thread. */
    void fenced(String why) {
        fencedBecause = why;
    }

    /** One pass: takes or gives up the server as the facts say now. */
    void reconcile(String clusterProblem) {
        String fence = fencedBecause;
        if (fence != null) {
            fencedBecause = null;
            if (state == State.OWNER) {
                giveUp(State.FENCED, fence);
                rejoin();
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
        boolean leader = isLocalLeader();
        if (leader && state != State.OWNER && System.nanoTime() - notBeforeNanos < 0) {
            return; // just left the election: another instance is about to be named
        }
        if (leader && state != State.OWNER) {
            take();
        } else if (!leader && state == State.OWNER) {
            giveUp(State.STANDBY, "instance " + leaderId() + " was elected");
        } else if (!leader && state != State.STANDBY && state != State.FENCED) {
            moveTo(State.STANDBY, "waiting for the election");
        } else if (leader) {
            retryConnect();
        }
        if (!leader && ++passesSinceParticipationCheck >= PARTICIPATION_CHECK_PASSES) {
            passesSinceParticipationCheck = 0;
            if (System.nanoTime() - notBeforeNanos >= 0 && !isParticipating()) {
                // Curator leaves the election when it cancels a leadership, and a re-entry that raced the end of the
                // previous turn is lost: enter again
                LOG.info("MT5 server {}: this instance ({}) was not in the election any more: entering it again",
                        serverId, cluster.getId());
                rejoin();
            }
        }
    }

    /** The instances in this server's election now (this one included while it takes part). */
    java.util.Set<String> participants() {
        try {
            java.util.Set<String> ids = new java.util.TreeSet<>();
            view.getMembers().forEach(member -> ids.add(member.getId()));
            return ids;
        } catch (RuntimeException e) {
            return java.util.Set.of();
        }
    }

    /** Hands the server to the next instance in its election: this one owns more than its share. */
    void yieldToAnother(String why) {
        if (state == State.OWNER) {
            giveUp(State.STANDBY, why);
            rejoin();
        }
    }

    private boolean isParticipating() {
        try {
            return view.getMembers().stream().anyMatch(CamelClusterMember::isLocal);
        } catch (RuntimeException e) {
            return true; // cannot tell now: ask again later
        }
    }

    private boolean isLocalLeader() {
        try {
            CamelClusterMember local = view.getLocalMember();
            return local != null && local.isLeader();
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

    /** Leaves and re-enters the election: the view may still call this instance leader after the fence said not. */
    void rejoin() {
        notBeforeNanos = System.nanoTime() + holdOffNanos;
        try {
            cluster.stopView(namespace);
            cluster.startView(namespace);
        } catch (Exception e) {
            LOG.warn("MT5 server {}: could not re-join the election of {}: {}", serverId, namespace, e.getMessage());
        }
    }

    private void moveTo(State next, String why) {
        state = next;
        reason = why;
        since = Instant.now();
    }
}

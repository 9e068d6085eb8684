package io.mt5crmhub.component;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.Mt5EventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection to one MT5 server, shared by every {@code mt5:} endpoint naming it. It opens the gateway
 * when its first user arrives and closes it when the last leaves, and hands each live event to the
 * subscriptions that want it. The gateway is paused while every subscription is suspended (during a graceful
 * shutdown the consumers drain their queues while nothing new is produced).
 */
public final class Mt5Connection implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(Mt5Connection.class);

    private final Mt5EventSource gateway;
    private final Mt5Dealer dealer;
    private final String gatewayName;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ServerActivity activity = new ServerActivity();
    private int users;
    private volatile boolean gatewayOpen;
    private boolean paused;
    private boolean stopping;
    private volatile boolean connected;
    private volatile String lastProblem;
    private volatile Instant stateSince = Instant.now();
    /** False while another hub instance owns the server (cluster ownership): the gateway stays closed. */
    private volatile boolean owned;
    /** How many times this instance took the server: a feed reloads its checkpoint when it changes. */
    private final AtomicLong ownerships = new AtomicLong();

    /** @param owned false when a cluster decides which instance reads the server; it is then taken later */
    Mt5Connection(Mt5EventSource gateway, String gatewayName, boolean owned) {
        this.gateway = gateway;
        this.dealer = gateway instanceof Mt5Dealer d ? d : null;
        this.gatewayName = gatewayName;
        this.owned = owned;
    }

    public String serverId() {
        return gateway.serverId();
    }

    public String gatewayName() {
        return gatewayName;
    }

    /** The server's events. */
    public Mt5EventSource source() {
        return gateway;
    }

    /** The server's balance operations and look-ups; empty when its gateway has none (a replay file). */
    public Optional<Mt5Dealer> dealer() {
        return Optional.ofNullable(dealer);
    }

    public boolean isConnected() {
        return connected && gateway.isConnected();
    }

    public String lastProblem() {
        return lastProblem;
    }

    public Instant stateSince() {
        return stateSince;
    }

    /** Events received, the last one's time, reconnects. */
    public ServerActivity activity() {
        return activity;
    }

    /** Seconds since the last live event arrived, or NaN before the first. */
    public double lastEventAgeSeconds() {
        long last = activity.lastEventAtNanos();
        return last == 0 ? Double.NaN : Math.max(0, (epochNanos() - last) / 1e9);
    }

    /**
     * Registers a user (consumer or producer). The gateway connects once the context has fully started, so that
     * every route's consumer is subscribed before the first live event (see {@link Mt5Component}).
     */
    synchronized void acquire(boolean contextStarted) throws GatewayException {
        users++;
        if (contextStarted) {
            try {
                connectIfUsed();
            } catch (GatewayException | RuntimeException e) {
                users--; // the caller holds nothing it could release
                throw e;
            }
        }
    }

    synchronized void connectIfUsed() throws GatewayException {
        if (users == 0 || gatewayOpen || !owned) {
            return;
        }
        LOG.info("Connecting to MT5 server {} through the {} gateway", serverId(), gatewayName);
        try {
            gateway.connect(this);
            gatewayOpen = true;
        } catch (GatewayException | RuntimeException e) {
            lastProblem = e.getMessage();
            stateSince = Instant.now();
            throw e;
        }
    }

    synchronized void release() {
        if (users > 0 && --users == 0 && gatewayOpen) {
            LOG.info("Disconnecting from MT5 server {}", serverId());
            gatewayOpen = false;
            gateway.disconnect();
            connected = false;
            stateSince = Instant.now();
        }
    }

    /** Whether this instance reads the server now: always without a cluster, while it owns the server with one. */
    public boolean isOwned() {
        return owned;
    }

    long ownerships() {
        return ownerships.get();
    }

    /**
     * This instance took the server (its fence raised): the gateway connects if anything uses it and the context
     * runs, and the feeds back-fill from the checkpoints as they are stored now.
     */
    synchronized void take(boolean contextStarted) throws GatewayException {
        if (!owned) {
            owned = true;
            ownerships.incrementAndGet();
            stateSince = Instant.now();
        }
        if (contextStarted) {
            connectIfUsed();
        }
    }

    /** Another instance owns the server, or may: the gateway closes at once and the feeds wait. */
    synchronized void giveUp(String reason) {
        if (!owned) {
            return;
        }
        owned = false;
        stateSince = Instant.now();
        lastProblem = reason;
        if (gatewayOpen) {
            LOG.info("Disconnecting from MT5 server {}: {}", serverId(), reason);
            gatewayOpen = false;
            gateway.disconnect();
            connected = false;
        }
    }

    void subscribe(Subscription subscription) {
        subscriptions.add(subscription);
        if (connected) {
            // it missed the connect: let it catch up from its checkpoint or a fresh snapshot
            subscription.requestBackfill();
        }
        updatePause();
    }

    void unsubscribe(Subscription subscription) {
        subscription.close();
        subscriptions.remove(subscription);
        updatePause();
    }

    /** The context is stopping: hold the gateway for good, so the consumers can drain and nothing new arrives. */
    synchronized void pauseForShutdown() {
        stopping = true;
        if (gatewayOpen && !paused) {
            LOG.info("Pausing MT5 server {} for shutdown: queued events drain, nothing new is taken", serverId());
            gateway.pause();
            paused = true;
        }
    }

    synchronized void updatePause() {
        if (stopping) {
            return;
        }
        boolean allSuspended = !subscriptions.isEmpty() && subscriptions.stream().allMatch(Subscription::isSuspended);
        if (allSuspended && !paused) {
            LOG.debug("All consumers of MT5 server {} are suspended: pausing its gateway", serverId());
            gateway.pause();
            paused = true;
        } else if (!allSuspended && paused) {
            gateway.resume();
            paused = false;
        }
    }

    /**
     * The gateway hands the hub an event: stamped once, here, with the wall clock ({@link Mt5Constants#RECEIVED_AT}),
     * so a subscription whose queue is full (back-pressure) and the ones offered after it count that wait too.
     */
    @Override
    public void onEvent(Mt5Event event) throws InterruptedException {
        long receivedAt = epochNanos();
        activity.received(event.type(), receivedAt);
        for (Subscription subscription : subscriptions) {
            if (subscription.wants(event)) {
                subscription.offer(event, receivedAt);
            }
        }
    }

    /** The wall clock in nanoseconds since the epoch (microsecond precision on Linux with Java 17). */
    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void onConnected() {
        connected = true;
        activity.connected();
        lastProblem = null;
        stateSince = Instant.now();
        LOG.info("MT5 server {} connected", serverId());
        for (Subscription subscription : subscriptions) {
            subscription.requestBackfill();
        }
    }

    @Override
    public void onDisconnected(String reason) {
        connected = false;
        stateSince = Instant.now();
        if (gatewayOpen) {
            lastProblem = reason;
            LOG.warn("MT5 server {} disconnected: {}", serverId(), reason);
        } else {
            LOG.info("MT5 server {} disconnected", serverId());
        }
    }
}

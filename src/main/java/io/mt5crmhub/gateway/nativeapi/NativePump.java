package io.mt5crmhub.gateway.nativeapi;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.Backoff;
import io.mt5crmhub.gateway.DeliveryThread;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Retcode;

/**
 * The pump thread {@code mt5-native-pump-<server>} of one connection: turns what the sinks left in the {@link Inbox}
 * into events for the listener (where blocking is allowed), in the order MT5 pushed them, and keeps the stream whole:
 * <ul>
 * <li>MT5 dropped the connection: the listener hears it (health DOWN with the reason). The API reconnects by
 * itself; if it has not within {@code reconnect-grace}, the pump connects again, with backoff and jitter.</li>
 * <li>MT5 is back ({@code OnConnect}), or the inbox was full and records were dropped: before any later record, new
 * snapshots of users and positions report what was missed, and the listener hears {@code onConnected}, on which the
 * component back-fills deals from its checkpoint. Nothing after the first dropped record was delivered, so the
 * checkpoint lies before it.</li>
 * </ul>
 */
final class NativePump extends DeliveryThread.Worker {

    private static final Logger LOG = LoggerFactory.getLogger(NativeGateway.class);
    private static final long POLL_MILLIS = 100;
    private static final Duration BACKOFF_START = Duration.ofSeconds(1);
    private static final Duration BACKOFF_CAP = Duration.ofSeconds(30);

    private final String serverId;
    private final NativeSettings settings;
    private final NativeSession session;
    private final Inbox inbox;
    private final NativeDealEvents deals;
    private final NativeSnapshots snapshots;
    private final GatewayListener listener;
    private final Backoff backoff = new Backoff(BACKOFF_START, BACKOFF_CAP);
    /** The listener was told the stream is whole (connected, nothing dropped since). */
    private boolean whole = true;
    /** MT5's connection, as the manager sink last said. */
    private boolean up = true;
    /** Snapshots and a back-fill are owed: MT5 came back or records were dropped. */
    private boolean resyncOwed;
    private long downSince;
    private long nextAttempt;
    private int lastFailure = -1;

    NativePump(NativeSettings settings, NativeSession session, Inbox inbox, NativeDealEvents deals,
            NativeSnapshots snapshots, GatewayListener listener) {
        super("mt5-native-pump-" + settings.serverId(), true);
        this.serverId = settings.serverId();
        this.settings = settings;
        this.session = session;
        this.inbox = inbox;
        this.deals = deals;
        this.snapshots = snapshots;
        this.listener = listener;
    }

    @Override
    protected void wake() {
        inbox.signal(Inbox.Signal.WAKE);
    }

    @Override
    protected void deliverUntilStopped() {
        String reason = "disconnected";
        try {
            while (awaitTurn()) {
                Object item = inbox.poll(POLL_MILLIS);
                if (inbox.overflowed() && whole) {
                    broken("the gateway's inbox of " + inbox.capacity() + " records was full and live events were"
                            + " dropped; recovering through snapshots and a back-fill from the checkpoint");
                    resyncOwed = true;
                }
                if (item == Inbox.Signal.DISCONNECTED) {
                    lost();
                } else if (item == Inbox.Signal.CONNECTED) {
                    if (!up) {
                        up = true;
                        resyncOwed = true;
                        nextAttempt = System.nanoTime();
                        backoff.reset();
                        LOG.info("MT5 server {} is connected again: reading what the outage hid", serverId);
                    }
                    resyncWhenDue();
                } else if (item != null && item != Inbox.Signal.WAKE) {
                    deliverRecord(item);
                } else if (up) {
                    resyncWhenDue(); // the inbox is empty: what came before a drop has been delivered
                } else {
                    reconnectWhenDue();
                }
            }
        } catch (InterruptedException e) {
            reason = isRunning() ? "disconnected while the listener was blocked" : "disconnected";
        } catch (RuntimeException e) {
            reason = "the native pump failed: " + e.getMessage();
            LOG.error("native {}: the pump stopped", serverId, e);
        } finally {
            end();
            listener.onDisconnected(reason);
        }
    }

    private void deliverRecord(Object record) throws InterruptedException {
        if (record instanceof NativeDealChange change) {
            deliver(deals.event(change).filter(deal -> snapshots.shows(deal.group())).orElse(null));
        } else if (record instanceof NativePositionChange change) {
            deliver(snapshots.live(change).orElse(null));
        } else if (record instanceof NativeUserChange change) {
            deliver(snapshots.live(change).orElse(null));
        }
    }

    private void deliver(Mt5Event event) throws InterruptedException {
        if (event == null) {
            return;
        }
        if (!awaitTurn()) {
            throw new InterruptedException("disconnected");
        }
        listener.onEvent(event);
    }

    /** The listener hears once that the stream is broken. */
    private void broken(String why) {
        if (whole) {
            whole = false;
            LOG.warn("MT5 server {}: {}", serverId, why);
            listener.onDisconnected(why);
        }
    }

    private void lost() {
        if (up) {
            up = false;
            downSince = System.nanoTime();
            nextAttempt = downSince + settings.reconnectGrace().toNanos();
            backoff.reset();
            lastFailure = -1;
        }
        broken("MT5 server " + serverId + " (" + settings.address() + ") dropped the connection; waiting for the"
                + " Manager API to reconnect");
    }

    /**
     * Snapshots, then {@code onConnected}. Records are taken again first, so that nothing falls between the snapshot
     * and the live stream; if the snapshots fail, what came in meanwhile is dropped again and the resync is retried
     * with backoff (a deal delivered before the back-fill is requested could move the checkpoint past a lost one).
     */
    private void resyncWhenDue() throws InterruptedException {
        if (!resyncOwed || System.nanoTime() - nextAttempt < 0) {
            return;
        }
        inbox.reopen();
        try {
            snapshots.resync(session, this::deliver);
        } catch (GatewayException e) {
            inbox.refuse();
            Duration wait = backoff.next();
            nextAttempt = System.nanoTime() + wait.toNanos();
            LOG.warn("MT5 server {}: cannot read users and positions after the gap ({}); trying again in {} ms",
                    serverId, e.getMessage(), wait.toMillis());
            return;
        }
        resyncOwed = false;
        backoff.reset();
        whole = true;
        listener.onConnected(); // the component back-fills deals from its checkpoint
    }

    /** The connection stayed away past the grace: Disconnect and Connect, with backoff between attempts. */
    private void reconnectWhenDue() {
        long now = System.nanoTime();
        if (now - nextAttempt < 0 || !isRunning()) {
            return;
        }
        int res = session.reconnect();
        if (res == Mt5Retcode.OK) {
            // OnConnect follows and brings the resync; until it does, try again no sooner than a timeout from now
            LOG.info("MT5 server {}: connected again after {} s away", serverId,
                    Duration.ofNanos(now - downSince).toSeconds());
            nextAttempt = now + settings.timeout().toNanos();
            return;
        }
        Duration wait = backoff.next();
        nextAttempt = System.nanoTime() + wait.toNanos();
        if (res != lastFailure) { // one WARN per outage and answer, not one per attempt
            LOG.warn("MT5 server {} ({}) is still away: Connect answered {} ({}); trying again with backoff, up to"
                    + " {} s apart", serverId, settings.address(), Integer.toUnsignedString(res),
                    Mt5Retcode.describe(res), BACKOFF_CAP.toSeconds());
            lastFailure = res;
        }
    }

    @Override
    protected void stillBusyAfterPause(Duration grace) {
        LOG.warn("native {}: still delivering {} after pause (the listener or a request is slow)", serverId, grace);
    }

    @Override
    protected void blockedAtStop(Duration grace) {
        LOG.warn("native {}: the pump did not stop within {}; interrupting it", serverId, grace);
    }
}

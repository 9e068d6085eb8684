package io.mt5crmhub.gateway.webapi;

import java.time.Duration;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.DeliveryThread;
import io.mt5crmhub.gateway.GatewayListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread {@code mt5-webapi-<server>} of one connection: live deals every {@code poll-interval}, snapshots
 * every {@code snapshot-interval}, a keep-alive ping in between, each event delivered between two turns of the
 * {@link DeliveryThread} (so a pause holds it). A failed poll hands the problem to the {@link WebApiSession}, which
 * says how long to wait; the thread ends only when the gateway disconnects.
 */
final class WebApiPoller extends DeliveryThread.Worker {

    // logs as the gateway did before the poll thread was a class of its own: operators filter on that name
    private static final Logger LOG = LoggerFactory.getLogger(WebApiGateway.class);

    private final WebApiSettings settings;
    private final WebApiSession session;
    private final LiveDeals deals;
    private final SnapshotPoller snapshots;
    private final GatewayListener listener;
    private long nextDeals;
    private long nextSnapshots;

    WebApiPoller(WebApiSettings settings, WebApiSession session, LiveDeals deals, SnapshotPoller snapshots,
            GatewayListener listener) {
        super("mt5-webapi-" + settings.serverId(), true);
        this.settings = settings;
        this.session = session;
        this.deals = deals;
        this.snapshots = snapshots;
        this.listener = listener;
    }

    @Override
    protected void deliverUntilStopped() {
        String reason = "disconnected";
        try {
            while (awaitTurn()) {
                try {
                    session.reconnectIfAway(listener);
                    pollOnce();
                    session.succeeded();
                    sleep(untilNextDue());
                } catch (WebApiException e) {
                    sleep(session.failed(e, listener));
                }
            }
        } catch (InterruptedException e) {
            reason = isRunning() ? "disconnected while a request or the listener was blocked" : "disconnected";
        } catch (RuntimeException e) {
            reason = "webapi poll loop failed: " + e.getMessage();
            LOG.error("webapi {}: the poll loop stopped", settings.serverId(), e);
        } finally {
            session.closed();
            end();
            listener.onDisconnected(reason);
        }
    }

    private void pollOnce() throws WebApiException, InterruptedException {
        long nowNanos = System.nanoTime();
        if (nowNanos - nextSnapshots >= 0) {
            nextSnapshots = nowNanos + settings.snapshotInterval().toNanos();
            snapshots.poll(session.client(), this::deliver);
        }
        if (nowNanos - nextDeals >= 0) {
            nextDeals = nowNanos + settings.pollInterval().toNanos();
            deals.poll(this::deliver);
        }
        session.keepAlive();
    }

    private Duration untilNextDue() {
        long nowNanos = System.nanoTime();
        long next = Math.min(nextDeals - nowNanos, nextSnapshots - nowNanos);
        next = Math.min(next, WebApiSession.PING_INTERVAL.toNanos());
        return Duration.ofNanos(Math.max(0, next));
    }

    private void deliver(Mt5Event event) throws InterruptedException {
        if (!awaitTurn()) {
            throw new InterruptedException("disconnected");
        }
        listener.onEvent(event);
    }

    @Override
    protected void stillBusyAfterPause(Duration grace) {
        LOG.warn("webapi {}: still polling {} after pause (a request or the listener is slow)", settings.serverId(),
                grace);
    }

    @Override
    protected void blockedAtStop(Duration grace) {
        LOG.warn("webapi {}: the poll thread did not stop within {}; interrupting it", settings.serverId(), grace);
    }
}

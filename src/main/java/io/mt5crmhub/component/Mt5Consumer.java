package io.mt5crmhub.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.mt5crmhub.event.Mt5Event;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;

/**
 * Consumes one MT5 stream (deals, positions or accounts) from one or every configured server. Each server gets
 * its own {@link Mt5Feed} thread; the gateway's callbacks only enqueue. On a graceful shutdown the consumer is
 * suspended, the gateways pause once all their consumers are, and the queues drain before the routes stop.
 */
public class Mt5Consumer extends DefaultConsumer implements ShutdownAware, Suspendable {

    private static final Duration STOP_WAIT = Duration.ofSeconds(20);

    private final List<Mt5Feed> feeds = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();

    public Mt5Consumer(Mt5Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public Mt5Endpoint getEndpoint() {
        return (Mt5Endpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Mt5Endpoint endpoint = getEndpoint();
        Mt5Component component = endpoint.getComponent();
        Predicate<Mt5Event> filter = endpoint.eventFilter();
        for (String serverId : endpoint.serverIds()) {
            Mt5Connection connection = component.acquire(serverId);
            Subscription subscription = new Subscription(endpoint.streamKind().entity(), filter, endpoint.getQueueSize());
            String checkpointKey = "mt5:" + serverId + ":" + endpoint.streamKind().uriName() + ":" + checkpointId();
            Mt5Feed feed = new Mt5Feed(this, connection, subscription, component.getCheckpointRepository(),
                    checkpointKey);
            subscriptions.add(subscription);
            feeds.add(feed);
            connection.subscribe(subscription);
            feed.start(getEndpoint().getCamelContext().getExecutorServiceManager().newThread(
                    "mt5-" + endpoint.streamKind().uriName() + "-" + serverId, feed));
        }
        // Camel's consumer:<routeId> health check calls this one (HealthCheckAware)
        Mt5ConsumerHealthCheck healthCheck = new Mt5ConsumerHealthCheck(this, getRouteId());
        healthCheck.setCamelContext(endpoint.getCamelContext());
        setHealthCheck(healthCheck);
    }

    private String checkpointId() {
        String configured = getEndpoint().getCheckpointId();
        return configured != null ? configured : getRouteId();
    }

    @Override
    protected void doSuspend() throws Exception {
        setSuspended(true);
    }

    @Override
    protected void doResume() throws Exception {
        setSuspended(false);
    }

    private void setSuspended(boolean suspended) {
        for (int i = 0; i < feeds.size(); i++) {
            subscriptions.get(i).setSuspended(suspended);
            feeds.get(i).connection().updatePause();
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (int i = 0; i < feeds.size(); i++) {
            Mt5Feed feed = feeds.get(i);
            feed.stop(STOP_WAIT);
            feed.connection().unsubscribe(subscriptions.get(i));
            feed.connection().release();
        }
        feeds.clear();
        subscriptions.clear();
        super.doStop();
    }

    List<Mt5Feed> feeds() {
        return List.copyOf(feeds);
    }

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        // suspend (not stop) first: the feed threads keep routing what is queued while the gateways pause
        return false;
    }

    @Override
    public int getPendingExchangesSize() {
        int pending = 0;
        for (Mt5Feed feed : feeds) {
            pending += feed.pending();
        }
        return pending;
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        // nothing to prepare: doStop waits for the exchanges in flight and stores the checkpoints
    }
}

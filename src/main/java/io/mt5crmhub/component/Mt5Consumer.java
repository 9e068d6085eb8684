package io.mt5crmhub.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;

/**
 * Consumes one MT5 stream (deals, positions or accounts) from one or every configured server. Each server gets
 * its own {@link Mt5Feed} thread; the gateway's callbacks only enqueue. On a graceful shutdown the consumer is
 * suspended, the gateways pause once all their consumers are, and the queues drain before the routes stop; the
 * queue of a sink that completes nothing meanwhile goes to its overflow on disk instead, for the next start.
 */
public class Mt5Consumer extends DefaultConsumer implements ShutdownAware, Suspendable {

    private static final Duration STOP_WAIT = Duration.ofSeconds(20);

    private final Mt5Endpoint endpoint;
    private final List<Mt5Feed> feeds = new ArrayList<>();
    /** The connections this consumer holds a use of, released at stop (a feed that failed to start holds none). */
    private final List<Mt5Connection> acquired = new ArrayList<>();
    private Mt5ConsumerMetrics metrics;

    public Mt5Consumer(Mt5Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Mt5Component component = endpoint.getComponent();
        for (String serverId : endpoint.serverIds()) {
            Mt5Feed feed = new Mt5Feed(this, endpoint, component.connection(serverId),
                    component.getCheckpointRepository(), checkpointKey(serverId));
            feeds.add(feed);
            feed.start(endpoint.getCamelContext().getExecutorServiceManager().newThread(
                    "mt5-" + endpoint.streamKind().uriName() + "-" + serverId, feed));
            // subscribed first: a connect opened here (a route started while the context runs) may deliver events
            // before it returns, and a replay file has no history to back-fill them from
            acquired.add(component.acquire(serverId));
        }
        metrics = Mt5ConsumerMetrics.register(endpoint.getCamelContext(), getRouteId(), feeds);
        // Camel's consumer:<routeId> health check calls this one (HealthCheckAware)
        Mt5ConsumerHealthCheck healthCheck = new Mt5ConsumerHealthCheck(this, getRouteId());
        healthCheck.setCamelContext(endpoint.getCamelContext());
        setHealthCheck(healthCheck);
    }

    private String checkpointKey(String serverId) {
        String configured = endpoint.getCheckpointId();
        String checkpointId = configured != null ? configured : getRouteId();
        return "mt5:" + serverId + ":" + endpoint.streamKind().uriName() + ":" + checkpointId;
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
        for (Mt5Feed feed : feeds) {
            feed.setSuspended(suspended);
        }
    }

    @Override
    protected void doStop() throws Exception {
        try {
            for (Mt5Feed feed : feeds) {
                feed.stop(STOP_WAIT);
            }
        } finally {
            acquired.forEach(Mt5Connection::release);
            acquired.clear();
            feeds.clear();
            if (metrics != null) {
                metrics.remove();
                metrics = null;
            }
            super.doStop();
        }
    }

    List<Mt5Feed> feeds() {
        return List.copyOf(feeds);
    }

    /** Each server's figures, for the status page; never waits for the pipeline. */
    public List<FeedFigures> feedFigures() {
        List<FeedFigures> figures = new ArrayList<>();
        for (Mt5Feed feed : feeds()) {
            SinkOutcomes outcomes = feed.outcomes();
            figures.add(new FeedFigures(getRouteId(), feed.serverId(), endpoint.streamKind().uriName(), feed.held(),
                    feed.bound(), feed.overflowed(), feed.lagSeconds(), outcomes.delivered(), outcomes.deadLettered(),
                    outcomes.failed(), feed.checkpointAgeSeconds(), feed.problem()));
        }
        return figures;
    }

    /** Which servers this instance owns, when it shares them with other instances. */
    java.util.Optional<ClusterOwnership> ownership() {
        return endpoint.getComponent().ownership();
    }

    /** The connections of the servers this consumer reads. */
    public List<Mt5Connection> connections() {
        return feeds().stream().map(Mt5Feed::connection).toList();
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
            if (isSuspended()) {
                feed.overflowQueuedIfStalled(); // a stop does not wait for a sink that is down
            }
            pending += feed.pending();
        }
        return pending;
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        // nothing to prepare: doStop waits for the exchanges in flight and stores the checkpoints
    }
}

package io.mt5crmhub.rabbitmq;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.mt5crmhub.config.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's connection: opened in the background and re-opened with exponential backoff and jitter, so the
 * hub starts and runs while the broker is down. Each connection gets one confirming channel (the topology declared
 * on it first, when asked) that the {@link PublishLine} publishes on; when it is lost, what it had not confirmed
 * goes back in line before the next attempt. Tells why it is not connected and since when, for the health check.
 */
final class BrokerConnector {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnector.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String uri;
    private final String exchangeName;
    private final boolean declareTopology;
    private final long confirmTimeoutMs;
    private final PublishLine line;
    private final ConfirmingChannel.Settlement settlement;
    private final ScheduledExecutorService scheduler;
    private volatile String problem = "not connected yet";
    private volatile Instant stateSince = Instant.now();
    private volatile boolean stopping;
    private Duration backoff = MIN_BACKOFF;

    BrokerConnector(String uri, String exchangeName, boolean declareTopology, long confirmTimeoutMs, PublishLine line,
            ConfirmingChannel.Settlement settlement, ScheduledExecutorService scheduler) {
        this.uri = uri;
        this.exchangeName = exchangeName;
        this.declareTopology = declareTopology;
        this.confirmTimeoutMs = confirmTimeoutMs;
        this.line = line;
        this.settlement = settlement;
        this.scheduler = scheduler;
    }

    /** Connects now on the scheduler's thread; retries with backoff until it succeeds or {@link #stop()}. */
    void start() {
        scheduler.execute(this::connect);
    }

    /** No more connection attempts; the current connection stays until the publisher closes it. */
    void stop() {
        stopping = true;
    }

    private void connect() {
        if (stopping) {
            return;
        }
        try {
            ConnectionFactory factory = EventMessages.connectionFactory(uri);
            factory.setAutomaticRecoveryEnabled(false); // recovery is ours: fail what is unconfirmed, then reconnect
            factory.setConnectionTimeout(5_000);
            factory.setRequestedHeartbeat(10);
            Connection connection = factory.newConnection("mt5-crm-hub publisher");
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            if (declareTopology) {
                RabbitTopology.declare(channel, exchangeName);
            }
            ConfirmingChannel fresh = new ConfirmingChannel(connection, channel, exchangeName, confirmTimeoutMs,
                    settlement);
            fresh.onLost(cause -> lost(fresh, cause));
            int held = line.attach(fresh);
            if (held > 0) {
                LOG.info("RabbitMQ back: published the {} messages held while it was away", held);
            }
            problem = null;
            stateSince = Instant.now();
            backoff = MIN_BACKOFF;
            LOG.info("RabbitMQ connected ({}); publishing to exchange {} with publisher confirms",
                    Secrets.maskUrl(uri), exchangeName);
        } catch (Exception e) {
            problem = Secrets.maskUrl(describe(e));
            Duration wait = backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1));
            LOG.warn("RabbitMQ not reachable ({}): {}; retrying in {} ms", Secrets.maskUrl(uri), problem,
                    wait.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 300; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(": ");
            }
            text.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
        }
        return text.toString();
    }

    private void lost(ConfirmingChannel from, ShutdownSignalException cause) {
        int unconfirmed = line.detach(from);
        if (unconfirmed < 0) {
            return;
        }
        problem = "connection lost: " + cause.getMessage();
        stateSince = Instant.now();
        if (!stopping) {
            LOG.warn("RabbitMQ {}; {} unconfirmed messages wait to be published again", problem, unconfirmed);
            scheduler.schedule(this::connect, MIN_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Why there is no connection, or null when there is one. */
    String problem() {
        return problem;
    }

    Instant stateSince() {
        return stateSince;
    }
}

package io.mt5crmhub.rabbitmq;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles each message off the AMQP I/O thread (the rest of the route, the idempotency commit and so on, may do
 * blocking work). A nack, return or timeout is tried again here, message by message, with backoff, up to
 * {@code publishAttempts}: Camel's redelivery would send the whole exchange again, and for a batch that re-publishes
 * the events already confirmed. What still fails, or fails because the broker is unavailable, fails its exchange.
 */
final class PublishRetries implements ConfirmingChannel.Settlement {

    private static final Logger LOG = LoggerFactory.getLogger(PublishRetries.class);
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final int publishAttempts;
    private final long firstDelayMs;
    private final PublishLine line;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService completions;
    /** Messages waiting for their next attempt. */
    private final Set<OutgoingMessage> retrying = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    PublishRetries(int publishAttempts, long firstDelayMs, PublishLine line, ScheduledExecutorService scheduler,
            ExecutorService completions) {
        this.publishAttempts = publishAttempts;
        this.firstDelayMs = firstDelayMs;
        this.line = line;
        this.scheduler = scheduler;
        this.completions = completions;
    }

    @Override
    public void settled(OutgoingMessage message, Exception failure) {
        completions.execute(() -> {
            if (failure != null && !(failure instanceof RabbitUnavailableException)
                    && ++message.failedAttempts < publishAttempts && !stopping) {
                retryLater(message, failure);
                return;
            }
            finish(message, failure);
        });
    }

    private void retryLater(OutgoingMessage message, Exception failure) {
        long delay = Math.min(MAX_DELAY.toMillis(), firstDelayMs << Math.min(20, message.failedAttempts - 1));
        LOG.warn("Publishing {} failed (attempt {} of {}): {}; retrying in {} ms", message.messageId,
                message.failedAttempts, publishAttempts, failure.getMessage(), delay);
        retrying.add(message);
        Runnable retry = () -> {
            if (!retrying.remove(message)) {
                return; // the publisher stopped meanwhile and has failed it
            }
            if (!line.offer(message)) {
                settled(message, stoppedBeforeRetrying(message));
            }
        };
        try {
            scheduler.schedule(retry, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            if (retrying.remove(message)) {
                finish(message, stoppedBeforeRetrying(message));
            }
        }
    }

    private static RabbitUnavailableException stoppedBeforeRetrying(OutgoingMessage message) {
        return new RabbitUnavailableException("RabbitMQ publisher stopped before retrying " + message.messageId);
    }

    private static void finish(OutgoingMessage message, Exception failure) {
        if (message.delivery.finish(message, failure)) {
            message.delivery.complete();
        }
    }

    /** The publisher stops: no more retries; the messages waiting for one fail with this reason. */
    void stop(String reason) {
        stopping = true;
        for (OutgoingMessage message : retrying.toArray(OutgoingMessage[]::new)) {
            if (retrying.remove(message)) {
                settled(message, new RabbitUnavailableException(reason));
            }
        }
    }
}

package io.mt5crmhub.component;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed exchange (its error handler gave up, or even its dead letter could not be written) is not lost: its
 * events are read again from MT5 by a back-fill, after a delay that doubles while back-filled events keep
 * failing. The idempotency keys drop what the back-fill repeats.
 */
final class RedeliverySchedule {

    private static final Logger LOG = LoggerFactory.getLogger(RedeliverySchedule.class);
    private static final Duration MIN_REDELIVERY_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_REDELIVERY_DELAY = Duration.ofSeconds(60);

    private final Subscription subscription;
    private final String streamName;
    private final String serverId;
    private final BooleanSupplier running;
    private final DoublingDelay delay = new DoublingDelay(MIN_REDELIVERY_DELAY, MAX_REDELIVERY_DELAY);
    /** When a failed exchange's events are read again from MT5 (0: nothing failed since the last back-fill). */
    private volatile long redeliverFailedAt;

    RedeliverySchedule(Subscription subscription, String streamName, String serverId, BooleanSupplier running) {
        this.subscription = subscription;
        this.streamName = streamName;
        this.serverId = serverId;
        this.running = running;
    }

    synchronized void afterFailure() {
        if (redeliverFailedAt == 0 && running.getAsBoolean()) {
            redeliverFailedAt = System.currentTimeMillis() + delay.current().toMillis();
            LOG.warn("mt5:{} of server {}: failed events are read again from MT5 in {} s", streamName, serverId,
                    delay.current().toSeconds());
            delay.doubled();
        }
    }

    void afterSuccess() {
        delay.reset();
    }

    void requestBackfillIfDue() {
        if (redeliverFailedAt == 0) {
            return; // the usual case, checked on every turn of the feed loop without taking the lock
        }
        synchronized (this) {
            if (redeliverFailedAt != 0 && System.currentTimeMillis() >= redeliverFailedAt) {
                redeliverFailedAt = 0;
                subscription.requestBackfill();
            }
        }
    }
}

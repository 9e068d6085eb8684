package io.mt5crmhub.rabbitmq;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;

/**
 * A consumed message that can never be applied (not JSON, not an event of a known schema, an invalid request): the
 * listener rejects it without requeueing, so the queue's dead-letter exchange moves it to {@code crm.dead}. Any
 * other failure is retried and then requeued, never dead-lettered.
 */
public class PoisonMessageException extends AmqpRejectAndDontRequeueException {

    public PoisonMessageException(String reason) {
        super(reason);
    }

    public PoisonMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

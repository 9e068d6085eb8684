package io.mt5crmhub.rabbitmq;

import java.util.Map;

import io.mt5crmhub.pipeline.RejectedEventsException;

/**
 * The broker did not accept what was published, also after retries: a nack, a return because nothing was bound
 * to it, or no confirm in time. For a list of events it tells each failed event's reason.
 */
public class PublishRejectedException extends RejectedEventsException {

    public PublishRejectedException(String message) {
        this(message, Map.of());
    }

    public PublishRejectedException(String message, Map<String, String> reasonsByEventId) {
        super(message, reasonsByEventId);
    }
}

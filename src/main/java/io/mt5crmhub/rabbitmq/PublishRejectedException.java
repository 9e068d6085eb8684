package io.mt5crmhub.rabbitmq;

import java.util.Map;

/**
 * The broker did not accept what was published, also after retries: a nack, a return because nothing was bound
 * to it, or no confirm in time. For a list of events it tells each failed event's reason.
 */
public class PublishRejectedException extends Exception {

    private final Map<String, String> reasonsByEventId;

    public PublishRejectedException(String message) {
        this(message, Map.of());
    }

    public PublishRejectedException(String message, Map<String, String> reasonsByEventId) {
        super(message);
        this.reasonsByEventId = Map.copyOf(reasonsByEventId);
    }

    /** Why this event was not published, or null when the message tells it. */
    public String reasonFor(String eventId) {
        return reasonsByEventId.get(eventId);
    }
}

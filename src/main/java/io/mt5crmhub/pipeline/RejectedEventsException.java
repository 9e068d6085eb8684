package io.mt5crmhub.pipeline;

import java.util.Map;

/**
 * A sink refused some events of an exchange for good (retrying cannot help), and tells each one's reason. The
 * sink lists them as {@link ExchangeEvents#UNDELIVERED undelivered}; the dead-letter store keeps one row per event,
 * each with its own reason.
 */
public class RejectedEventsException extends Exception {

    private final Map<String, String> reasonsByEventId;

    public RejectedEventsException(String message, Map<String, String> reasonsByEventId) {
        super(message);
        this.reasonsByEventId = Map.copyOf(reasonsByEventId);
    }

    /** Why this event was refused, or null when the message tells it. */
    public String reasonFor(String eventId) {
        return reasonsByEventId.get(eventId);
    }
}

package io.mt5crmhub.rabbitmq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.pipeline.ExchangeEvents;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * One exchange's events on their way to the broker: the exchange completes when each has been confirmed or has
 * failed for good. If any failed, the exchange fails and lists them as {@link ExchangeEvents#UNDELIVERED
 * undelivered}, so what comes next (the dead-letter step, the idempotency gate giving keys back) sees only what was
 * not delivered.
 */
final class ExchangeDelivery {

    private final Exchange exchange;
    private final AsyncCallback callback;
    private final boolean batch;
    private final int size;
    private int finished;
    private final List<Mt5Event> failedEvents = new ArrayList<>();
    private final Map<String, String> reasons = new LinkedHashMap<>();
    private Exception firstFailure;
    private boolean unavailable;

    private ExchangeDelivery(Exchange exchange, AsyncCallback callback, int size) {
        this.exchange = exchange;
        this.callback = callback;
        this.batch = ExchangeEvents.isBatch(exchange);
        this.size = size;
    }

    /** The exchange's events as messages, all belonging to one new delivery of it. */
    static List<OutgoingMessage> messagesOf(Exchange exchange, AsyncCallback callback) throws Exception {
        List<Mt5Event> events = ExchangeEvents.of(exchange);
        ExchangeDelivery delivery = new ExchangeDelivery(exchange, callback, events.size());
        List<OutgoingMessage> messages = new ArrayList<>(events.size());
        for (Mt5Event event : events) {
            messages.add(new OutgoingMessage(delivery, event));
        }
        return messages;
    }

    /** Records one event's outcome (null: confirmed); true when it was the exchange's last. */
    synchronized boolean finish(OutgoingMessage message, Exception failure) {
        if (failure != null) {
            failedEvents.add(message.event);
            reasons.put(message.messageId, failure.getMessage());
            firstFailure = firstFailure == null ? failure : firstFailure;
            unavailable |= failure instanceof RabbitUnavailableException;
        }
        return ++finished == size;
    }

    /** Hands the exchange back to Camel, failed with what was not delivered if anything was not. */
    synchronized void complete() {
        if (firstFailure != null) {
            ExchangeEvents.setUndelivered(exchange, failedEvents);
            if (!batch) {
                exchange.setException(firstFailure);
            } else {
                String summary = failedEvents.size() + " of " + size + " events not published; first: "
                        + firstFailure.getMessage();
                exchange.setException(unavailable ? new RabbitUnavailableException(summary)
                        : new PublishRejectedException(summary, reasons));
            }
        }
        callback.done(false);
    }
}

package io.mt5crmhub.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.mt5crmhub.event.Mt5Event;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The MT5 events an exchange carries, for every step that takes one event or a batch of them. An {@code mt5:}
 * consumer's body is one {@link Mt5Event} or, with {@code batchSize} above 1, a {@code List<Mt5Event>}; a step
 * reads and writes the events here and never asks which of the two it has.
 */
public final class ExchangeEvents {

    /**
     * Exchange property: the {@code List<Mt5Event>} a failed sink step did not deliver. The body keeps every
     * event of the exchange.
     * <p>
     * Set by a sink step that can deliver part of an exchange, when it fails it (the RabbitMQ publisher: the events
     * not confirmed). Read by the idempotency gate, which gives back only the keys of these events, and by the
     * dead-letter step, which stores one row per event listed here, each with its own reason when the failure
     * tells one. Without it, a failed exchange delivered none of its events.
     */
    public static final String UNDELIVERED = "Mt5UndeliveredEvents";

    private ExchangeEvents() {
    }

    /** True when the body is a batch, a list of events (an {@code mt5:} consumer with {@code batchSize} above 1). */
    public static boolean isBatch(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof List<?>;
    }

    /**
     * The events of the body: the batch, or the one event (an {@link Mt5Event} or what converts to one, such as its
     * JSON).
     *
     * @throws InvalidPayloadException when the body is neither
     * @throws IllegalArgumentException when a batch holds something else than events
     */
    public static List<Mt5Event> of(Exchange exchange) throws InvalidPayloadException {
        if (exchange.getMessage().getBody() instanceof List<?> batch) {
            return eventsOf(batch);
        }
        return List.of(exchange.getMessage().getMandatoryBody(Mt5Event.class));
    }

    /**
     * The events of the body when it holds event objects (one, or a batch); empty for any other body, such as a
     * queued message that is not an event or a balance request. Converts nothing.
     */
    public static Optional<List<Mt5Event>> carried(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Mt5Event event) {
            return Optional.of(List.of(event));
        }
        return body instanceof List<?> batch ? Optional.of(eventsOf(batch)) : Optional.empty();
    }

    /** Puts events in the body in the shape it had: a batch stays a list, one event stays one event. */
    public static void replace(Exchange exchange, List<Mt5Event> events) {
        if (isBatch(exchange)) {
            exchange.getMessage().setBody(List.copyOf(events));
        } else if (events.size() == 1) {
            exchange.getMessage().setBody(events.get(0));
        } else {
            throw new IllegalArgumentException("an exchange of one event cannot take " + events.size());
        }
    }

    /** Records which events a failing sink step did not deliver ({@link #UNDELIVERED}). */
    public static void setUndelivered(Exchange exchange, List<Mt5Event> events) {
        exchange.setProperty(UNDELIVERED, List.copyOf(events));
    }

    /** The events a failed sink step did not deliver, or empty when no step said so ({@link #UNDELIVERED}). */
    public static Optional<List<Mt5Event>> undelivered(Exchange exchange) {
        Object undelivered = exchange.getProperty(UNDELIVERED);
        return undelivered instanceof List<?> events ? Optional.of(eventsOf(events)) : Optional.empty();
    }

    private static List<Mt5Event> eventsOf(List<?> items) {
        List<Mt5Event> events = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof Mt5Event event)) {
                throw new IllegalArgumentException("expected a list of MT5 events, found "
                        + (item == null ? "null" : item.getClass().getName()) + " in it");
            }
            events.add(event);
        }
        return events;
    }
}

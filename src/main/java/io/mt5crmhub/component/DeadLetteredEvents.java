package io.mt5crmhub.component;

import org.apache.camel.Exchange;

/**
 * How many of an exchange's events a route's error policy dead-lettered. A handled error policy completes the
 * exchange without an exception, so without this mark the mt5: consumer would count those events as delivered. The
 * dead-letter step marks the exchange after storing; the consumer reads the mark when the exchange completes.
 */
public final class DeadLetteredEvents {

    /** The exchange property holding the count (an Integer). */
    public static final String PROPERTY = "Mt5DeadLettered";

    private DeadLetteredEvents() {
    }

    /** Adds {@code events} to the exchange's dead-lettered count (a batch may be dead-lettered in parts). */
    public static void add(Exchange exchange, int events) {
        exchange.setProperty(PROPERTY, count(exchange) + events);
    }

    /** The exchange's dead-lettered events, 0 when none. */
    public static int count(Exchange exchange) {
        Integer count = exchange.getProperty(PROPERTY, Integer.class);
        return count == null ? 0 : count;
    }
}

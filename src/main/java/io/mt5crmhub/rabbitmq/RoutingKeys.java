package io.mt5crmhub.rabbitmq;

import java.util.Locale;

import io.mt5crmhub.event.Mt5Event;

/**
 * The routing key of an event on {@code mt5.events}: {@code <server>.<entity>.<change>}, plus {@code .<action>}
 * for deals, lower case ({@code sim.deal.added.balance}). Server ids hold no dots, so every key has the same
 * number of words per entity and the queue bindings ({@code *.deal.#}) match exactly.
 */
public final class RoutingKeys {

    private RoutingKeys() {
    }

    public static String of(Mt5Event event) {
        StringBuilder key = new StringBuilder(48)
                .append(event.server()).append('.')
                .append(event.type().entity().wireName()).append('.')
                .append(event.type().change().wireName());
        if (event.deal() != null) {
            key.append('.').append(event.deal().action().name().toLowerCase(Locale.ROOT));
        }
        return key.toString();
    }
}

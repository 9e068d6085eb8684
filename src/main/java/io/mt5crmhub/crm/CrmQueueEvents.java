package io.mt5crmhub.crm;

import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.InvalidEventException;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.rabbitmq.PoisonMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Reads an event consumed from a {@code crm.*} queue. A message that is not a valid {@code mt5hub.event/v1} event
 * (not JSON, another schema, an unknown type, a missing field) can never be applied: it is a
 * {@link PoisonMessageException}, dead-lettered with the reason instead of retried.
 */
public class CrmQueueEvents implements Processor {

    @Override
    public void process(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        Mt5Event event;
        try {
            event = EventJson.read(body == null ? "" : body);
        } catch (InvalidEventException e) {
            throw new PoisonMessageException("not an mt5hub.event/v1 event: " + e.getMessage(), e);
        }
        exchange.getMessage().setHeader(Mt5Constants.EVENT_ID, event.eventId());
        exchange.getMessage().setBody(event);
    }
}

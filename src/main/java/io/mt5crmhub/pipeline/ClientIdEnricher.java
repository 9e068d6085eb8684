package io.mt5crmhub.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.store.LoginMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sets the event's {@code clientId} to the CRM client that owns its login ({@code hub_login_map}), or leaves
 * it null when the login is not mapped: unmapped events still flow, so the CRM can see and map them. Takes one
 * event or a batch of them ({@link ExchangeEvents}); for one event it also sets the {@code Mt5ClientId} header.
 */
public class ClientIdEnricher implements Processor {

    private final LoginMap loginMap;

    public ClientIdEnricher(LoginMap loginMap) {
        this.loginMap = loginMap;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<Mt5Event> events = ExchangeEvents.of(exchange);
        List<Mt5Event> enriched = new ArrayList<>(events.size());
        for (Mt5Event event : events) {
            enriched.add(event.withClientId(loginMap.clientIdOf(event.server(), event.login()).orElse(null)));
        }
        ExchangeEvents.replace(exchange, enriched);
        if (!ExchangeEvents.isBatch(exchange) && enriched.get(0).clientId() != null) {
            exchange.getMessage().setHeader(Mt5Constants.CLIENT_ID, enriched.get(0).clientId());
        }
    }
}

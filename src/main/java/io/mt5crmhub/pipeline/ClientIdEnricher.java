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
 * event or a list of them (an {@code mt5:} consumer with {@code batchSize} above 1).
 */
public class ClientIdEnricher implements Processor {

    private final LoginMap loginMap;

    public ClientIdEnricher(LoginMap loginMap) {
        this.loginMap = loginMap;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> batch) {
            List<Mt5Event> enriched = new ArrayList<>(batch.size());
            for (Object item : batch) {
                Mt5Event event = (Mt5Event) item;
                enriched.add(event.withClientId(loginMap.clientIdOf(event.server(), event.login()).orElse(null)));
            }
            exchange.getMessage().setBody(enriched);
            return;
        }
        Mt5Event event = exchange.getMessage().getMandatoryBody(Mt5Event.class);
        String clientId = loginMap.clientIdOf(event.server(), event.login()).orElse(null);
        exchange.getMessage().setBody(event.withClientId(clientId));
        if (clientId != null) {
            exchange.getMessage().setHeader(Mt5Constants.CLIENT_ID, clientId);
        }
    }
}

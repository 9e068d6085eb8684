package io.mt5crmhub.pipeline;

import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.store.LoginMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sets the event's {@code clientId} to the CRM client that owns its login ({@code hub_login_map}), or leaves
 * it null when the login is not mapped: unmapped events still flow, so the CRM can see and map them.
 */
public class ClientIdEnricher implements Processor {

    private final LoginMap loginMap;

    public ClientIdEnricher(LoginMap loginMap) {
        this.loginMap = loginMap;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Mt5Event event = exchange.getMessage().getMandatoryBody(Mt5Event.class);
        String clientId = loginMap.clientIdOf(event.server(), event.login()).orElse(null);
        exchange.getMessage().setBody(event.withClientId(clientId));
        if (clientId != null) {
            exchange.getMessage().setHeader(Mt5Constants.CLIENT_ID, clientId);
        }
    }
}

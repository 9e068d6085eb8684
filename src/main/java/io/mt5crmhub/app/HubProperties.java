package io.mt5crmhub.app;

import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The hub's properties read as {@code run} reads them ({@link HubMain#PROPERTIES}, every key overridable by an
 * environment variable), for the commands that work on the hub's database or servers without starting the hub.
 */
public final class HubProperties implements AutoCloseable {

    private final CamelContext context = new DefaultCamelContext();

    public HubProperties() {
        context.getPropertiesComponent().setLocation(HubMain.PROPERTIES);
    }

    public Optional<String> get(String key) {
        return context.getPropertiesComponent().resolveProperty(key);
    }

    @Override
    public void close() throws Exception {
        context.close();
    }
}

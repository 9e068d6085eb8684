package io.mt5crmhub.app;

import java.util.Map;

import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and runs the hub's Camel main: {@code application.properties} from the working directory (falling back to
 * the copy inside the jar), the YAML routes in {@code routes/} and the connectors in {@code connectors/}. A bad
 * setting stops start-up with one line naming the key and exit code 1.
 */
public final class HubMain {

    /** Where the hub and its commands read their properties: the working directory's file wins over the jar's. */
    public static final String PROPERTIES = "file:application.properties;optional=true,"
            + "classpath:application.properties;optional=true";
    private static final Logger LOG = LoggerFactory.getLogger(HubMain.class);

    private HubMain() {
    }

    /** The hub's Camel main: application.properties, routes/, connectors/, and {@link HubConfiguration}. */
    public static Main newMain(Map<String, String> overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTIES);
        main.configure().addConfiguration(HubConfiguration.class);
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /** Runs the hub until it is stopped; @return the exit code: 0 after a graceful stop, 1 when it cannot start */
    public static int run() {
        Main main = newMain(Map.of());
        try {
            return main.run(new String[0]);
        } catch (Exception e) {
            String port = main.getCamelContext() == null ? "8080"
                    : main.getCamelContext().getPropertiesComponent().resolveProperty("hub.http.port").orElse("8080");
            LOG.error("mt5-crm-hub cannot start: {}", StartupFailures.describe(e, port));
            return 1;
        }
    }
}

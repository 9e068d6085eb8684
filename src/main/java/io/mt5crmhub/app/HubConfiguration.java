package io.mt5crmhub.app;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.mt5crmhub.gateway.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.Mt5GatewayFactory;
import io.mt5crmhub.pipeline.BatchingIdempotencyGate;
import io.mt5crmhub.pipeline.DeadLetterReplayer;
import io.mt5crmhub.pipeline.ClientIdEnricher;
import io.mt5crmhub.pipeline.HubMessageIdRepository;
import io.mt5crmhub.store.DeadLetterStore;
import io.mt5crmhub.store.DeadLetters;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.JdbcStateRepository;
import io.mt5crmhub.store.LoginMap;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the hub before any route starts: checks every MT5 server's settings, opens and migrates the hub
 * database, seeds the demo login map, and binds the beans the YAML routes and connectors refer to by name.
 * Beans are bound here once, by hand, in a fixed order (a scanned {@code @BindToRegistry} method may run twice).
 */
public class HubConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    public static final String DATA_SOURCE = "hubDataSource";
    public static final String CRM_STORE_IDEMPOTENT_REPOSITORY = "crmStoreIdempotentRepository";

    @Override
    public void configure(CamelContext context) throws Exception {
        Function<String, Optional<String>> lookup = key -> context.getPropertiesComponent().resolveProperty(key);
        Mt5GatewayFactory gateways = new ConfiguredGatewayFactory(lookup);
        for (String serverId : gateways.serverIds()) {
            gateways.create(serverId); // validates mt5.server.<id>.* now, not when the first route starts
        }
        HubSettings settings = HubSettings.load(lookup);
        if (Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{camel.server.enabled:false}}"))) {
            HttpPortCheck.requireFree(context.resolvePropertyPlaceholders("{{camel.server.host:0.0.0.0}}"),
                    settings.httpPort());
        }
        HubDatabase database = HubDatabase.open(settings.dbUrl(), settings.dbUsername(), settings.dbPassword(),
                settings.dbPoolSize());
        // closed after the routes have stopped: the context stops its services last
        context.addService(new Lifecycle(() -> { }, database::close), true, true);

        LoginMap loginMap = new LoginMap(database.dataSource(), database.dialect(), settings.loginMapCacheTtl());
        new DemoLoginMapSeeder(loginMap).seedIfEmpty(gateways);

        Registry registry = context.getRegistry();
        registry.bind("hubDatabase", database);
        registry.bind(DATA_SOURCE, database.dataSource());
        registry.bind("mt5GatewayFactory", gateways);
        JdbcStateRepository checkpoints = new JdbcStateRepository(database.dataSource(), database.dialect());
        registry.bind("hubCheckpointRepository", checkpoints);
        registry.bind("loginMap", loginMap);
        registry.bind("clientIdEnricher", new ClientIdEnricher(loginMap));
        registry.bind(CRM_STORE_IDEMPOTENT_REPOSITORY,
                new HubMessageIdRepository(database.dataSource(), database.dialect(), "crm-store"));
        BatchingIdempotencyGate rabbitmqGate = new BatchingIdempotencyGate(database.dataSource(), database.dialect(),
                "rabbitmq", checkpoints);
        registry.bind("rabbitmqIdempotencyGate", rabbitmqGate);
        context.addService(new Lifecycle(rabbitmqGate::start, rabbitmqGate::stop), true, true);
        registry.bind("crmRestIdempotentRepository",
                new HubMessageIdRepository(database.dataSource(), database.dialect(), "crm-rest"));
        enableFanOut(context, settings);
        registry.bind("deadLetterStore", new DeadLetterStore(database.dataSource()));
        DeadLetters deadLetters = new DeadLetters(database.dataSource());
        registry.bind("deadLetters", deadLetters);
        registry.bind("deadLetterReplayer", new DeadLetterReplayer(deadLetters, context));
    }

    /** The fan-out routes start only when their endpoint is configured (their YAML reads these flags). */
    private static void enableFanOut(CamelContext context, HubSettings settings) {
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addOverrideProperty("hub.rabbitmq.enabled", Boolean.toString(settings.rabbitmqEnabled()));
        properties.addOverrideProperty("hub.crm.rest.enabled", Boolean.toString(settings.crmRestEnabled()));
        // a kamelet needs a valid endpoint even when its route never starts: point an unused REST sink nowhere
        properties.addOverrideProperty("hub.crm.rest.target", properties.resolveProperty("hub.crm.rest.url")
                .filter(url -> !url.isBlank()).orElse("http://crm-rest-sink.disabled.invalid/"));
        for (Map.Entry<String, String> fallback : Map.of("hub.rabbitmq.max-inflight", "20",
                "hub.rabbitmq.batch-size", "100", "hub.dead-letter.replay-poll-ms", "2000").entrySet()) {
            if (properties.resolveProperty(fallback.getKey()).isEmpty()) {
                properties.addOverrideProperty(fallback.getKey(), fallback.getValue());
            }
        }
        LOG.info("Fan-out: CRM store on, RabbitMQ {}, REST CRM {}", settings.rabbitmqEnabled() ? "on" : "off",
                settings.crmRestEnabled() ? "on" : "off");
    }

    /** Starts and stops something with the context itself, after the routes have stopped. */
    private static final class Lifecycle extends ServiceSupport {
        private final Step onStart;
        private final Step onStop;

        @FunctionalInterface
        interface Step {
            void run() throws Exception;
        }

        Lifecycle(Step onStart, Step onStop) {
            this.onStart = onStart;
            this.onStop = onStop;
        }

        @Override
        protected void doStart() throws Exception {
            onStart.run();
        }

        @Override
        protected void doStop() throws Exception {
            onStop.run();
        }
    }
}

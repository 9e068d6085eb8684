package io.mt5crmhub.app;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.mt5crmhub.api.ApiKeys;
import io.mt5crmhub.balance.BalanceApi;
import io.mt5crmhub.balance.BalanceApiRoutes;
import io.mt5crmhub.balance.BalanceOutcomePublisher;
import io.mt5crmhub.balance.BalanceQueueRequests;
import io.mt5crmhub.balance.BalanceRequestStore;
import io.mt5crmhub.balance.BalanceRequestValidator;
import io.mt5crmhub.balance.BalanceResolver;
import io.mt5crmhub.balance.BalanceService;
import io.mt5crmhub.balance.BalanceSettings;
import io.mt5crmhub.balance.LoginCurrencies;
import io.mt5crmhub.balance.Mt5ComponentGateways;
import io.mt5crmhub.balance.Reconciliation;
import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.crm.CrmQueueEvents;
import io.mt5crmhub.deadletter.DeadLetterApi;
import io.mt5crmhub.deadletter.DeadLetterApiRoutes;
import io.mt5crmhub.deadletter.DeadLetterReplayer;
import io.mt5crmhub.deadletter.DeadLetterStore;
import io.mt5crmhub.deadletter.DeadLetters;
import io.mt5crmhub.gateway.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.Mt5GatewayFactory;
import io.mt5crmhub.pipeline.BatchingIdempotencyGate;
import io.mt5crmhub.pipeline.ClientIdEnricher;
import io.mt5crmhub.pipeline.HubMessageIdRepository;
import io.mt5crmhub.rabbitmq.ConsumerFailurePolicy;
import io.mt5crmhub.rabbitmq.EventMessages;
import io.mt5crmhub.rabbitmq.RabbitTopology;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.JdbcStateRepository;
import io.mt5crmhub.store.LoginMap;
import io.mt5crmhub.store.StoreSettings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

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
        Settings values = Settings.of(lookup);
        ConfiguredGatewayFactory gateways = new ConfiguredGatewayFactory(values); // checks mt5.server.<id>.* now
        HubSettings settings = HubSettings.load(lookup);
        if (Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{camel.server.enabled:false}}"))) {
            HttpPortCheck.requireFree(context.resolvePropertyPlaceholders("{{camel.server.host:0.0.0.0}}"),
                    settings.httpPort());
        }
        HubDatabase database = HubDatabase.open(StoreSettings.from(values));
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
        ApiKeys apiKeys = ApiKeys.parse(lookup.apply("hub.api.keys").orElse(""));
        if (!apiKeys.isEmpty()
                && Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{camel.server.enabled:false}}"))) {
            context.addRoutes(new DeadLetterApiRoutes(new DeadLetterApi(apiKeys, deadLetters)));
        }
        registry.bind("crmQueueEvents", new CrmQueueEvents());
        registry.bind("crmQueueFailurePolicy", ConsumerFailurePolicy.interceptor());
        registry.bind("crmQueueIdempotentRepository",
                new HubMessageIdRepository(database.dataSource(), database.dialect(), "crm-queue"));
        checkCrmConsumer(lookup, settings);
        CachingConnectionFactory rabbit = rabbitConnectionFactory(lookup, settings);
        registry.bind("hubRabbitConnectionFactory", rabbit);
        context.addService(new Lifecycle(() -> { }, rabbit::destroy), true, true);
        if (settings.rabbitmqEnabled() && Boolean.parseBoolean(lookup.apply("hub.rabbitmq.declare-topology")
                .orElse("true").trim())) {
            String exchange = lookup.apply("hub.rabbitmq.exchange").filter(x -> !x.isBlank()).orElse(RabbitTopology.EXCHANGE);
            context.addService(new Lifecycle(() -> declareTopology(rabbit, exchange), () -> { }), true, false);
        }
        enableBalance(context, lookup, gateways, database, settings, rabbit);
    }

    /**
     * Declares the queues before the consumers start; the publisher declares them again on every connect, so a
     * broker that is away now only delays this.
     */
    private static void declareTopology(CachingConnectionFactory rabbit, String exchange) {
        try (var connection = rabbit.createConnection(); var channel = connection.createChannel(false)) {
            RabbitTopology.declare(channel, exchange);
        } catch (Exception e) {
            LOG.warn("RabbitMQ topology not declared at start ({}); the publisher declares it once connected",
                    e.getMessage());
        }
    }

    /** The CRM-side queue consumers need RabbitMQ and, with the REST connector, a CRM URL. */
    private static void checkCrmConsumer(Function<String, Optional<String>> lookup, HubSettings settings) {
        boolean enabled = Boolean.parseBoolean(lookup.apply("hub.crm.consumer.enabled").orElse("false").trim());
        String connector = lookup.apply("hub.crm.consumer.connector").map(String::trim).orElse("jdbc");
        if (!connector.equals("jdbc") && !connector.equals("rest")) {
            throw new ConfigurationException("hub.crm.consumer.connector must be jdbc or rest, was '" + connector + "'");
        }
        if (!enabled) {
            return;
        }
        if (!settings.rabbitmqEnabled()) {
            throw new ConfigurationException("hub.crm.consumer.enabled=true needs hub.rabbitmq.uri: the consumers read"
                    + " the crm.* queues");
        }
        if (connector.equals("rest") && !settings.crmRestEnabled()) {
            throw new ConfigurationException("hub.crm.consumer.connector=rest needs hub.crm.rest.url");
        }
        boolean store = Boolean.parseBoolean(lookup.apply("hub.crm.store.enabled").orElse("true").trim());
        LOG.info("CRM-side consumers on: crm.deals, crm.accounts, crm.positions -> the {} connector", connector);
        if (store && connector.equals("jdbc")) {
            LOG.warn("hub.crm.store.enabled and hub.crm.consumer.enabled are both on: every event is applied to the"
                    + " crm_* tables twice (harmless, idempotent); set hub.crm.store.enabled=false to feed the store"
                    + " from RabbitMQ only");
        }
    }

    /**
     * The connection factory of camel-spring-rabbitmq (the crm.* queue consumers, crm.balance.requests) and of the
     * balance outcome events. It connects on first use only, so with RabbitMQ off it points nowhere and stays idle.
     */
    private static CachingConnectionFactory rabbitConnectionFactory(Function<String, Optional<String>> lookup,
            HubSettings settings) throws Exception {
        String uri = settings.rabbitmqEnabled() ? lookup.apply("hub.rabbitmq.uri").orElseThrow().trim()
                : "amqp://rabbitmq-disabled.invalid:5672/";
        com.rabbitmq.client.ConnectionFactory client = EventMessages.connectionFactory(uri);
        client.setAutomaticRecoveryEnabled(false); // Spring AMQP recovers the connection itself
        CachingConnectionFactory factory = new CachingConnectionFactory(client);
        factory.setConnectionNameStrategy(f -> "mt5-crm-hub consumers");
        return factory;
    }

    /** Balance operations: the service and its resolver, the deal confirmation, the API when keys are set. */
    private static void enableBalance(CamelContext context, Function<String, Optional<String>> lookup,
            Mt5GatewayFactory gateways, HubDatabase database, HubSettings settings, CachingConnectionFactory rabbit)
            throws Exception {
        BalanceSettings balance = BalanceSettings.from(Settings.of(lookup));
        ApiKeys balanceKeys = ApiKeys.parse(lookup.apply("hub.api.keys").orElse(""));
        Clock clock = Clock.systemUTC();
        BalanceRequestStore store = new BalanceRequestStore(database.dataSource(), database.dialect(), clock);
        Mt5ComponentGateways mt5 = new Mt5ComponentGateways(context, gateways.serverIds());
        BalanceService service = new BalanceService(store, mt5, clock, balance.answerTimeout());
        BalanceRequestValidator validator = new BalanceRequestValidator(Set.copyOf(gateways.serverIds()),
                new LoginCurrencies(database.dataSource()));
        BalanceOutcomePublisher publisher = settings.rabbitmqEnabled()
                ? new BalanceOutcomePublisher(rabbit, lookup.apply("hub.rabbitmq.exchange").filter(x -> !x.isBlank())
                        .orElse(RabbitTopology.EXCHANGE), store)
                : null;
        boolean enabled = Boolean.parseBoolean(lookup.apply("hub.balance.enabled").orElse("true").trim());
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addOverrideProperty("hub.balance.enabled", Boolean.toString(enabled));
        properties.addOverrideProperty("hub.balance.queue.enabled", Boolean.toString(enabled
                && settings.rabbitmqEnabled()));
        if (enabled) {
            // the balance service holds a connection to every server, like an mt5:balance producer would
            context.addService(mt5, true, false);
            context.addService(new BalanceResolver(context, service, publisher, balance.resolveEvery()), true, false);
        }
        Reconciliation reconciliation = new Reconciliation(database.dataSource(), store,
                server -> mt5.connectedSource(server).orElseThrow(() -> new IllegalStateException(
                        "MT5 server " + server + " is not connected")).accounts(),
                gateways.serverIds(), balance.grace(), clock);

        Registry registry = context.getRegistry();
        registry.bind("balanceService", service);
        registry.bind("balanceQueueRequests", new BalanceQueueRequests(service, validator));
        registry.bind("reconciliation", reconciliation);
        if (!enabled) {
            LOG.info("Balance operations off (hub.balance.enabled=false): no API, no crm.balance.requests consumer");
        } else if (balanceKeys.isEmpty()) {
            LOG.info("Balance API off: set hub.api.keys (env HUB_API_KEYS) to a comma list of bearer keys to turn on"
                    + " POST /api/v1/balance-operations and GET /api/v1/reconciliation");
        } else if (!Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{camel.server.enabled:false}}"))) {
            LOG.warn("Balance API off: hub.api.keys is set but the HTTP server is disabled (camel.server.enabled)");
        } else {
            context.addRoutes(new BalanceApiRoutes(new BalanceApi(balanceKeys, service, validator,
                    reconciliation, balance.confirmWait(), balance.reconcileSettle())));
            LOG.info("Balance API on: /api/v1/balance-operations and /api/v1/reconciliation on port {} ({} key{})",
                    settings.httpPort(), balanceKeys.size(), balanceKeys.size() == 1 ? "" : "s");
        }
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

package io.mt5crmhub.app;

import io.mt5crmhub.app.BalanceConfigurer.BalanceApiParts;
import io.mt5crmhub.app.StoreConfigurer.HubStore;
import io.mt5crmhub.cluster.LeaseClaims;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.deadletter.DeadLetters;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Wires the hub before any route starts. Every setting is read and checked first ({@link HubSettings} and the MT5
 * servers' {@link ConfiguredGatewayFactory}), then one configurer per feature binds the beans the YAML routes and
 * connectors name: the store, the RabbitMQ and Kafka fan-outs, the REST CRM, the CRM-side consumers, dead letters,
 * balance operations and the HTTP APIs.
 */
public class HubConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    /** The hub database's {@code javax.sql.DataSource} bean. */
    public static final String DATA_SOURCE = StoreConfigurer.DATA_SOURCE;

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings values = Settings.of(key -> context.getPropertiesComponent().resolveProperty(key));
        ConfiguredGatewayFactory gateways = new ConfiguredGatewayFactory(values);
        HubSettings settings = HubSettings.from(values);
        HubBeans beans = new HubBeans(context);
        context.addLifecycleStrategy(new KameletRequirements());
        HttpApiConfigurer http = new HttpApiConfigurer(beans, settings.http());
        http.requirePortFree();

        beans.bind("mt5GatewayFactory", gateways);
        HubStore store = new StoreConfigurer(beans).configure(settings.store(), settings.cluster(), gateways);
        CachingConnectionFactory rabbit = new RabbitFanOutConfigurer(beans).configure(settings.rabbitmq(), store);
        beans.flag(RouteFlags.REDIS, settings.redis().enabled());
        new KafkaFanOutConfigurer(beans).configure(settings.kafka(), store);
        new RestCrmConfigurer(beans).configure(settings.restCrm(), store);
        new CrmConsumerConfigurer(beans).configure(settings.crm(), store);
        DeadLetters deadLetters = new DeadLetterConfigurer(beans).configure(store.database(), store.leases());
        BalanceApiParts balance = new BalanceConfigurer(beans).configure(settings.balance(), settings.rabbitmq(),
                rabbit, gateways, store.database(), store.leases());
        new ClusterConfigurer(beans, context).configure(settings.cluster(), store, gateways.serverIds(),
                store.gates().stream().<LeaseClaims.Recovery>map(gate -> gate::recover).toList());
        new OpsConfigurer(beans).configure(store.database(), deadLetters, settings.balance(), settings.http());
        http.addApis(balance, deadLetters);
        LOG.info("Fan-out: CRM store {}, RabbitMQ {}, Redis Streams {}, Kafka {}, REST CRM {}",
                onOff(settings.crm().storeEnabled()), onOff(settings.rabbitmq().enabled()),
                onOff(settings.redis().enabled()), onOff(settings.kafka().enabled()),
                onOff(settings.restCrm().enabled()));
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }
}

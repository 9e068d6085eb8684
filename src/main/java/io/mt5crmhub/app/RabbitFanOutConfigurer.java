package io.mt5crmhub.app;

import io.mt5crmhub.app.StoreConfigurer.HubStore;
import io.mt5crmhub.rabbitmq.EventMessages;
import io.mt5crmhub.rabbitmq.RabbitSettings;
import io.mt5crmhub.rabbitmq.RabbitTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The RabbitMQ side, on when {@code hub.rabbitmq.uri} is set: the fan-out routes' flag and idempotency gate, the
 * topology declared before the consumers start, and the connection factory that camel-spring-rabbitmq (the
 * crm.* queue consumers, crm.balance.requests) and the balance outcome events share.
 */
final class RabbitFanOutConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitFanOutConfigurer.class);

    private final HubBeans beans;

    RabbitFanOutConfigurer(HubBeans beans) {
        this.beans = beans;
    }

    /** @return the shared connection factory; it connects on first use only, so with RabbitMQ off it stays idle */
    CachingConnectionFactory configure(RabbitSettings settings, HubStore store) throws Exception {
        beans.flag(RouteFlags.RABBITMQ, settings.enabled());
        store.bindIdempotencyGate(beans, "rabbitmq");

        CachingConnectionFactory rabbit = connectionFactory(settings);
        beans.bind("hubRabbitConnectionFactory", rabbit);
        beans.startNow(() -> { }, rabbit::destroy);
        if (settings.enabled() && settings.declareTopology()) {
            beans.startWithContext(() -> declareTopology(rabbit, settings.exchange()), () -> { });
        }
        return rabbit;
    }

    private static CachingConnectionFactory connectionFactory(RabbitSettings settings) throws Exception {
        com.rabbitmq.client.ConnectionFactory client = EventMessages.connectionFactory(
                settings.uri().orElse("amqp://rabbitmq-disabled.invalid:5672/"));
        client.setAutomaticRecoveryEnabled(false); // Spring AMQP recovers the connection itself
        CachingConnectionFactory factory = new CachingConnectionFactory(client);
        factory.setConnectionNameStrategy(f -> "mt5-crm-hub consumers");
        return factory;
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
}

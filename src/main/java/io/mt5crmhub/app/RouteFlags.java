package io.mt5crmhub.app;

import java.util.Set;

/**
 * The properties the hub derives at start for the YAML routes and connectors (their {@code autoStartup} and the
 * REST sink's target): set by the configurers, never read from application.properties.
 */
public final class RouteFlags {

    /** {@code hub.rabbitmq.uri} is set: the RabbitMQ fan-out routes start. */
    public static final String RABBITMQ = "hub.rabbitmq.enabled";
    /** {@code hub.redis.uri} is set: the Redis Streams fan-out routes start. */
    public static final String REDIS = "hub.redis.enabled";
    /** {@code hub.kafka.bootstrap-servers} is set: the Kafka fan-out routes start. */
    public static final String KAFKA = "hub.kafka.enabled";
    /** {@code hub.crm.rest.url} is set: the REST CRM routes start. */
    public static final String CRM_REST = "hub.crm.rest.enabled";
    /** Where the REST sink posts: {@code hub.crm.rest.url}, or an address that never resolves while it is off. */
    public static final String CRM_REST_TARGET = "hub.crm.rest.target";
    /** Balance operations are on and RabbitMQ is configured: the crm.balance.requests consumer starts. */
    public static final String BALANCE_QUEUE = "hub.balance.queue.enabled";

    public static final Set<String> ALL = Set.of(RABBITMQ, REDIS, KAFKA, CRM_REST, CRM_REST_TARGET, BALANCE_QUEUE);

    private RouteFlags() {
    }
}

package io.mt5crmhub.rabbitmq;

import java.net.URI;
import java.util.Date;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import io.mt5crmhub.event.Mt5Event;

/** How an event travels on RabbitMQ: its message properties, and connections from an AMQP URI. */
public final class EventMessages {

    private EventMessages() {
    }

    /** Persistent, JSON, message_id = eventId, type = event type, timestamp = occurredAt. */
    public static AMQP.BasicProperties properties(Mt5Event event) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .messageId(event.eventId())
                .type(event.type().toString())
                .timestamp(Date.from(event.occurredAt()))
                .appId("mt5-crm-hub")
                .build();
    }

    /** A connection factory for the URI; "amqp://host:5672/" means the default vhost, as people intend. */
    public static ConnectionFactory connectionFactory(String uri) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        if (URI.create(uri).getRawPath().equals("/")) {
            // the AMQP URI spec reads a lone "/" as the empty vhost name, which RabbitMQ refuses
            factory.setVirtualHost("/");
        }
        return factory;
    }
}

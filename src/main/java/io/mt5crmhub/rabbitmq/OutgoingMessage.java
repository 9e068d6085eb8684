package io.mt5crmhub.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;

/** One event ready to go: the exchange delivery it belongs to, and its AMQP form built once. */
final class OutgoingMessage {

    final ExchangeDelivery delivery;
    final Mt5Event event;
    final String messageId;
    final String routingKey;
    final AMQP.BasicProperties properties;
    final byte[] body;
    /** Publish attempts that failed so far; only the publisher's completion thread touches it. */
    int failedAttempts;

    OutgoingMessage(ExchangeDelivery delivery, Mt5Event event) {
        this.delivery = delivery;
        this.event = event;
        this.messageId = event.eventId();
        this.routingKey = RoutingKeys.of(event);
        this.body = EventJson.writeBytes(event);
        this.properties = EventMessages.properties(event);
    }
}

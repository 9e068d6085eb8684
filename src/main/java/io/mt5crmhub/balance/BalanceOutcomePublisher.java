package io.mt5crmhub.balance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ReturnListener;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each balance outcome to RabbitMQ once it is final: {@code balance.confirmed} or {@code balance.rejected}
 * on the events exchange with routing key {@code <server>.balance.confirmed|rejected} (queue
 * {@code crm.balance.outcomes}). The store is the outbox: an outcome is marked published only after the broker
 * confirmed it (and did not return it as unroutable), so a broker outage or a restart delays outcomes but loses
 * none; a repeat carries the same {@code message_id}.
 */
public class BalanceOutcomePublisher {

    public static final String SCHEMA = "mt5hub.balance/v1";
    private static final Logger LOG = LoggerFactory.getLogger(BalanceOutcomePublisher.class);

    private final ConnectionFactory connectionFactory;
    private final String exchange;
    private final BalanceRequestStore store;

    public BalanceOutcomePublisher(ConnectionFactory connectionFactory, String exchange, BalanceRequestStore store) {
        this.connectionFactory = connectionFactory;
        this.exchange = exchange;
        this.store = store;
    }

    /** Publishes the outcomes not yet published; returns how many the broker confirmed. */
    public synchronized int publishPending() throws SQLException, IOException, InterruptedException, TimeoutException {
        List<BalanceOperation> pending = store.unpublishedOutcomes(200);
        if (pending.isEmpty()) {
            return 0;
        }
        Set<String> returned = ConcurrentHashMap.newKeySet();
        int published = 0;
        try (Connection connection = connectionFactory.createConnection();
             Channel channel = connection.createChannel(false)) {
            channel.confirmSelect();
            ReturnListener onReturn = channel.addReturnListener(r -> returned.add(r.getProperties().getMessageId()));
            try {
                for (BalanceOperation op : pending) {
                    channel.basicPublish(exchange, routingKey(op), true, properties(op), body(op));
                }
                channel.waitForConfirmsOrDie(10_000);
            } finally {
                channel.removeReturnListener(onReturn);
            }
        }
        for (BalanceOperation op : pending) {
            if (returned.contains(eventId(op))) {
                LOG.warn("balance outcome {} was returned by RabbitMQ: no queue is bound to {}", eventId(op),
                        routingKey(op));
            } else {
                store.markPublished(op.crmTxnId());
                published++;
            }
        }
        return published;
    }

    static String type(BalanceOperation op) {
        return "balance." + op.state().name().toLowerCase(Locale.ROOT);
    }

    static String eventId(BalanceOperation op) {
        return op.server() + ":balance:" + op.crmTxnId() + ":" + op.state().name().toLowerCase(Locale.ROOT);
    }

    static String routingKey(BalanceOperation op) {
        return op.server() + "." + type(op);
    }

    static byte[] body(BalanceOperation op) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("schema", SCHEMA);
        event.put("eventId", eventId(op));
        event.put("type", type(op));
        event.put("occurredAt", op.updatedAt().toString());
        Map<String, Object> operation = BalanceJson.operation(op);
        event.put("operationType", operation.remove("type"));
        event.putAll(operation);
        return BalanceJson.write(event).getBytes(StandardCharsets.UTF_8);
    }

    private static AMQP.BasicProperties properties(BalanceOperation op) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .messageId(eventId(op))
                .type(type(op))
                .timestamp(Date.from(op.updatedAt()))
                .appId("mt5-crm-hub")
                .build();
    }
}

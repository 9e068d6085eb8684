package io.mt5crmhub.rabbitmq;

import java.io.IOException;
import java.util.Map;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

/**
 * The hub's RabbitMQ topology, declared (idempotently) on every connect:
 * <ul>
 * <li>durable topic exchange {@value #EXCHANGE}, where every event is published;</li>
 * <li>durable quorum queues {@code crm.deals}, {@code crm.accounts}, {@code crm.positions} bound by entity, each
 * dead-lettering to {@value #DEAD_LETTER_EXCHANGE};</li>
 * <li>durable topic exchange {@value #DEAD_LETTER_EXCHANGE} and quorum queue {@value #DEAD_LETTER_QUEUE} taking
 * everything dead-lettered;</li>
 * <li>durable quorum queues {@value #BALANCE_REQUESTS_QUEUE} (the CRM's balance requests, on the default exchange)
 * and {@value #BALANCE_OUTCOMES_QUEUE} (bound {@value #BALANCE_OUTCOMES_BINDING}: balance.confirmed and
 * balance.rejected events), dead-lettering to {@value #DEAD_LETTER_EXCHANGE}.</li>
 * </ul>
 */
public final class RabbitTopology {

    public static final String EXCHANGE = "mt5.events";
    public static final String DEAD_LETTER_EXCHANGE = "mt5.events.dlx";
    public static final String DEAD_LETTER_QUEUE = "crm.dead";
    public static final Map<String, String> QUEUE_BINDINGS = Map.of(
            "crm.deals", "*.deal.#",
            "crm.accounts", "*.account.#",
            "crm.positions", "*.position.#");
    /** Balance requests from the CRM: published to the default exchange with this queue's name as routing key. */
    public static final String BALANCE_REQUESTS_QUEUE = "crm.balance.requests";
    /** Balance outcomes for the CRM: balance.confirmed and balance.rejected events. */
    public static final String BALANCE_OUTCOMES_QUEUE = "crm.balance.outcomes";
    public static final String BALANCE_OUTCOMES_BINDING = "*.balance.#";

    private RabbitTopology() {
    }

    public static void declare(Channel channel) throws IOException {
        declare(channel, EXCHANGE);
    }

    /** The topology with the events exchange under another name (the queues and the DLX keep theirs). */
    public static void declare(Channel channel, String exchange) throws IOException {
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(DEAD_LETTER_EXCHANGE, BuiltinExchangeType.TOPIC, true);
        channel.queueDeclare(DEAD_LETTER_QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
        channel.queueBind(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, "#");
        for (Map.Entry<String, String> binding : QUEUE_BINDINGS.entrySet()) {
            channel.queueDeclare(binding.getKey(), true, false, false,
                    Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE));
            channel.queueBind(binding.getKey(), exchange, binding.getValue());
        }
        channel.queueDeclare(BALANCE_OUTCOMES_QUEUE, true, false, false,
                Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE));
        channel.queueBind(BALANCE_OUTCOMES_QUEUE, exchange, BALANCE_OUTCOMES_BINDING);
        channel.queueDeclare(BALANCE_REQUESTS_QUEUE, true, false, false,
                Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE));
    }
}

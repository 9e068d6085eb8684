package io.mt5crmhub.deadletter;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import io.mt5crmhub.component.Mt5Constants;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the dead letters an operator asked for (command line or API), each through the replay route of the
 * sink it failed in: the event goes to that sink again, past the idempotency keys (the operator asked for it;
 * every sink applies idempotently or carries the eventId for the consumer to drop a repeat). A replay that fails
 * again leaves the row dead, with the new reason.
 */
public class DeadLetterReplayer {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);
    private static final int PER_ROUND = 100;

    /** Where a dead letter of a route is replayed, by the prefix of that route's id ({@code <sink>-<stream>}). */
    enum Target {
        RABBITMQ("rabbitmq-replay", "the RabbitMQ fan-out is off (hub.rabbitmq.uri is empty)", "rabbitmq-"),
        CRM_REST("crm-rest-replay", "the REST CRM fan-out is off (hub.crm.rest.url is empty)", "crm-rest-"),
        REDIS("redis-replay", "the Redis Streams fan-out is off (hub.redis.uri is empty)", "redis-"),
        KAFKA("kafka-replay", "the Kafka fan-out is off (hub.kafka.bootstrap-servers is empty)", "kafka-"),
        // mt5-<stream> and crm-pipeline: the CRM store's route ids before crm-store-<stream>, in older dead letters
        CRM_STORE("crm-store-replay", "the CRM store is off (hub.crm.store.enabled=false)", "crm-store-", "mt5-",
                "crm-pipeline");

        final String replayRouteId;
        final String whenOff;
        final List<String> routePrefixes;

        Target(String replayRouteId, String whenOff, String... routePrefixes) {
            this.replayRouteId = replayRouteId;
            this.whenOff = whenOff;
            this.routePrefixes = List.of(routePrefixes);
        }

        String endpoint() {
            return "direct:" + replayRouteId;
        }

        static Optional<Target> of(String routeId) {
            if (routeId == null) {
                return Optional.empty();
            }
            for (Target target : values()) {
                if (target.routePrefixes.stream().anyMatch(routeId::startsWith)) {
                    return Optional.of(target);
                }
            }
            return Optional.empty();
        }
    }

    private final DeadLetters deadLetters;
    private final CamelContext context;
    private ProducerTemplate template;

    public DeadLetterReplayer(DeadLetters deadLetters, CamelContext context) {
        this.deadLetters = deadLetters;
        this.context = context;
    }

    /** Replays what was asked for since the last round. */
    public int replayRequested() throws SQLException {
        List<DeadLetter> requested = deadLetters.requested(PER_ROUND);
        int replayed = 0;
        for (DeadLetter deadLetter : requested) {
            String failure = replay(deadLetter);
            if (failure == null) {
                deadLetters.replayed(deadLetter.id());
                replayed++;
                LOG.info("Replayed dead letter {} ({}) from route {}", deadLetter.id(), deadLetter.eventId(),
                        deadLetter.routeId());
            } else {
                deadLetters.replayFailed(deadLetter.id(), failure);
                LOG.warn("Replay of dead letter {} ({}) failed: {}", deadLetter.id(), deadLetter.eventId(), failure);
            }
        }
        return replayed;
    }

    /** Null when the sink took the event, else why not. */
    private String replay(DeadLetter deadLetter) {
        Optional<Target> target = Target.of(deadLetter.routeId());
        if (target.isEmpty()) {
            return "no replay route for route '" + deadLetter.routeId() + "'";
        }
        if (context.getRouteController().getRouteStatus(target.get().replayRouteId) != ServiceStatus.Started) {
            return target.get().whenOff;
        }
        Mt5Event event;
        try {
            event = EventJson.read(deadLetter.body());
        } catch (RuntimeException e) {
            return "the stored body is not an MT5 event: " + e.getMessage();
        }
        Exchange result = template().send(target.get().endpoint(), exchange -> {
            exchange.getMessage().setBody(event);
            exchange.getMessage().setHeader(Mt5Constants.EVENT_ID, event.eventId());
            exchange.getMessage().setHeader(Mt5Constants.SERVER, event.server());
        });
        return result.getException() == null ? null : DeadLetterStore.reasonOf(result.getException());
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }
}

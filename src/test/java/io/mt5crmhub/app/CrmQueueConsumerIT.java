package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.rabbitmq.EventMessages;
import io.mt5crmhub.rabbitmq.RabbitTopology;
import io.mt5crmhub.rabbitmq.RoutingKeys;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.RabbitTestBroker;
import io.mt5crmhub.testsupport.StoreQueries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRM-side consumers against the real RabbitMQ: events delivered newest first leave the newest state, a
 * redelivered event changes nothing, poison messages go to the dead-letter queue with their reason, and every
 * message is acknowledged once applied.
 */
class CrmQueueConsumerIT {

    @TempDir
    Path dir;
    private RabbitTestBroker broker;
    private final List<String> queues = new ArrayList<>();

    @BeforeEach
    void broker() throws Exception {
        broker = new RabbitTestBroker();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String q : queues) {
            broker.channel().queueDelete(q);
        }
        broker.close();
    }

    @Test
    void newestFirstDeliveriesLeaveTheNewestStateAndPoisonIsDeadLettered() throws Exception {
        String server = RabbitTestBroker.uniqueServerId("cq");
        String deals = queue(server + ".deal.#");
        String accounts = queue(server + ".account.#");
        String positions = queue(server + ".position.#");
        String dead = "test.dead." + UUID.randomUUID();
        Channel ch = broker.channel();
        ch.queueDeclare(dead, true, false, false, Map.of("x-queue-type", "quorum"));
        ch.queueBind(dead, RabbitTopology.DEAD_LETTER_EXCHANGE, deals);
        queues.add(dead);

        // newest first: three versions of one position and of one account, then the older ones
        List<Mt5Event> events = new ArrayList<>();
        for (int v = 3; v >= 1; v--) {
            events.add(EventSamples.position(server, EventType.POSITION_UPDATED, 7001, 50001, v + ".00", "1" + v,
                    EventSamples.T0.plusSeconds(v)));
            events.add(EventSamples.account(server, 50001, v + "000.00", EventSamples.T0.plusSeconds(v)));
        }
        Mt5Event deposit = EventSamples.deposit(server, 9001, 50001, "250.00", "crm:TX-1");
        events.add(deposit);
        events.add(deposit); // redelivered upstream
        for (Mt5Event e : events) {
            ch.basicPublish(RabbitTopology.EXCHANGE, RoutingKeys.of(e), EventMessages.properties(e),
                    EventSamples.json(e).getBytes(StandardCharsets.UTF_8));
        }
        publishRaw(ch, deals, "poison-1", "{not json");
        publishRaw(ch, deals, "poison-2", EventSamples.json(deposit).replace("mt5hub.event/v1", "other/v9"));

        Path replay = Files.writeString(dir.resolve("empty.jsonl"), "");
        try (EmbeddedHub hub = new EmbeddedHub()
                .with("mt5.servers", server)
                .with("mt5.server." + server + ".gateway", "replay")
                .with("mt5.server." + server + ".file", replay.toString())
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                .with("hub.rabbitmq.uri", RabbitTestBroker.URI)
                .with("hub.crm.store.enabled", "false")
                .with("hub.crm.consumer.enabled", "true")
                .with("hub.crm.consumer.queue.deals", deals)
                .with("hub.crm.consumer.queue.accounts", accounts)
                .with("hub.crm.consumer.queue.positions", positions)
                .start()) {
            StoreQueries store = new StoreQueries(hub.context().getRegistry()
                    .lookupByNameAndType(HubConfiguration.DATA_SOURCE, DataSource.class));
            await().atMost(Duration.ofSeconds(30)).until(() -> store.count("SELECT COUNT(*) FROM hub_dead_letter") >= 2
                    && broker.count(deals) == 0 && broker.count(accounts) == 0 && broker.count(positions) == 0
                    && store.count("SELECT COUNT(*) FROM crm_deal") == 1);

            assertThat(store.rows("SELECT volume, profit FROM crm_position WHERE server = '" + server
                    + "' AND ticket = 7001")).singleElement().satisfies(row -> {
                        assertThat((java.math.BigDecimal) row.get(0)).isEqualByComparingTo("3.00");
                        assertThat((java.math.BigDecimal) row.get(1)).isEqualByComparingTo("13");
                    });
            assertThat(store.rows("SELECT balance FROM crm_account WHERE server = '" + server + "' AND login = 50001"))
                    .singleElement().satisfies(row -> assertThat((java.math.BigDecimal) row.get(0))
                            .isEqualByComparingTo("3000.00"));
            assertThat(store.rows("SELECT event_id, reason FROM hub_dead_letter ORDER BY id"))
                    .extracting(row -> row.get(0) + " " + row.get(1))
                    .anySatisfy(r -> assertThat(r).startsWith("poison-1 ").contains("not an mt5hub.event/v1 event"))
                    .anySatisfy(r -> assertThat(r).startsWith("poison-2 ").contains("schema"));
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.count(dead) == 2);
        }
        List<GetResponse> deadLettered = broker.drain(dead);
        assertThat(deadLettered).extracting(m -> m.getProps().getMessageId())
                .containsExactlyInAnyOrder("poison-1", "poison-2");
    }

    /** A durable quorum queue bound to the events exchange, dead-lettering like the hub's crm.* queues. */
    private String queue(String binding) throws Exception {
        String name = "test.crm." + UUID.randomUUID();
        broker.channel().queueDeclare(name, true, false, false, Map.of("x-queue-type", "quorum",
                "x-dead-letter-exchange", RabbitTopology.DEAD_LETTER_EXCHANGE));
        broker.channel().queueBind(name, RabbitTopology.EXCHANGE, binding);
        queues.add(name);
        return name;
    }

    private static void publishRaw(Channel ch, String queue, String messageId, String body) throws Exception {
        ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().messageId(messageId).deliveryMode(2)
                .contentType("application/json").build(), body.getBytes(StandardCharsets.UTF_8));
    }
}

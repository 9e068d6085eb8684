package io.mt5crmhub.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.GetResponse;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.pipeline.ExchangeEvents;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.RabbitTestBroker;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The confirming publisher against the real broker: message format, confirms, returns, an absent broker. */
class ConfirmingPublisherIT extends CamelTestSupport {

    @AutoClose
    private final RabbitTestBroker broker = RabbitTestBroker.connect();
    private ConfirmingPublisher absent;
    private final String server = RabbitTestBroker.uniqueServerId("pub");

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                ConfirmingPublisher good = new ConfirmingPublisher();
                good.setUri(RabbitTestBroker.URI);
                ConfirmingPublisher nowhere = new ConfirmingPublisher();
                nowhere.setUri(RabbitTestBroker.URI);
                nowhere.setExchange("test.unbound." + server);
                nowhere.setDeclareTopology(false);
                nowhere.setPublishAttempts(2);
                nowhere.setRetryDelay(50);
                ConfirmingPublisher dealsOnly = new ConfirmingPublisher();
                dealsOnly.setUri(RabbitTestBroker.URI);
                dealsOnly.setExchange("test.deals-only." + server);
                dealsOnly.setDeclareTopology(false);
                dealsOnly.setPublishAttempts(3);
                dealsOnly.setRetryDelay(50);
                absent = new ConfirmingPublisher();
                absent.setUri("amqp://guest:guest@127.0.0.1:1/");
                from("direct:publish").process(good);
                from("direct:unroutable").process(nowhere);
                from("direct:deals-only").process(dealsOnly);
                from("direct:absent").process(absent);
            }
        };
    }

    @Test
    void everyEventIsPublishedPersistentWithItsIdAndRoutingKeyAndConfirmed() throws Exception {
        String queue = broker.queueFor(server + ".#");
        await().until(() -> isUp("rabbitmq"));
        List<Mt5Event> events = new ArrayList<>();
        for (long t = 1; t <= 300; t++) {
            events.add(EventSamples.deposit(server, 1_000_000 + t, 50001, "10.00", "d" + t));
        }
        events.add(EventSamples.account(server, 50001, "3010.00", EventSamples.T0.plusSeconds(900)));

        for (Mt5Event event : events) {
            Exchange done = template.send("direct:publish", e -> e.getMessage().setBody(event));
            assertThat(done.getException()).isNull();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> broker.count(queue) == events.size());
        List<GetResponse> messages = broker.drain(queue);
        assertThat(messages).hasSize(events.size());
        GetResponse first = messages.get(0);
        assertThat(first.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(first.getProps().getContentType()).isEqualTo("application/json");
        assertThat(first.getProps().getMessageId()).isEqualTo(events.get(0).eventId());
        assertThat(first.getEnvelope().getRoutingKey()).isEqualTo(server + ".deal.added.balance");
        assertThat(EventJson.read(first.getBody())).isEqualTo(events.get(0));
        assertThat(messages.get(messages.size() - 1).getEnvelope().getRoutingKey()).isEqualTo(server + ".account.updated");
        assertThat(messages).extracting(m -> m.getProps().getMessageId())
                .containsExactlyElementsOf(events.stream().map(Mt5Event::eventId).toList());
    }

    @Test
    void anUnroutableMessageFailsTheExchangeInsteadOfVanishing() throws Exception {
        broker.channel().exchangeDeclare("test.unbound." + server, BuiltinExchangeType.TOPIC, false, true, Map.of());
        await().until(() -> isUp("rabbitmq"));

        Exchange done = template.send("direct:unroutable", e -> e.getMessage().setBody(
                EventSamples.deposit(server, 1, 50001, "1", "")));

        assertThat(done.getException()).isInstanceOf(PublishRejectedException.class)
                .hasMessageContaining("no queue is bound");
    }

    @Test
    void aListIsConfirmedAsAWholeAndWhatFailsIsNamedUndeliveredWithItsReason() throws Exception {
        String exchange = "test.deals-only." + server;
        broker.channel().exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false, true, Map.of());
        String queue = broker.channel().queueDeclare().getQueue();
        broker.channel().queueBind(queue, exchange, server + ".deal.#");
        await().until(() -> isUp("rabbitmq"));
        List<Mt5Event> deals = new ArrayList<>();
        for (long t = 1; t <= 50; t++) {
            deals.add(EventSamples.deposit(server, 2_000_000 + t, 50001, "10.00", "d" + t));
        }
        Exchange allDeals = template.send("direct:deals-only", e -> e.getMessage().setBody(deals));
        assertThat(allDeals.getException()).isNull();
        assertThat(broker.count(queue)).isEqualTo(50);

        Mt5Event account = EventSamples.account(server, 50001, "10.00", EventSamples.T0);
        Mt5Event deal = EventSamples.deposit(server, 3_000_000, 50001, "10.00", "");
        Exchange mixed = template.send("direct:deals-only", e -> e.getMessage().setBody(List.of(deal, account)));

        assertThat(mixed.getException()).isInstanceOf(PublishRejectedException.class)
                .hasMessageContaining("1 of 2 events not published");
        assertThat(((PublishRejectedException) mixed.getException()).reasonFor(account.eventId()))
                .contains("no queue is bound");
        assertThat(ExchangeEvents.undelivered(mixed)).hasValue(List.of(account));
        assertThat(mixed.getMessage().getBody(List.class)).containsExactly(deal, account);
        List<GetResponse> published = broker.drain(queue);
        assertThat(published).hasSize(51);
        assertThat(published.get(50).getProps().getMessageId()).isEqualTo(deal.eventId());
    }

    @Test
    void anAbsentBrokerHoldsTheMessageAndTurnsHealthDown() throws Exception {
        CompletableFuture<Exchange> sent = template.asyncSend("direct:absent", e -> e.getMessage().setBody(
                EventSamples.deposit(server, 1, 50001, "1", "")));

        await().until(() -> absent.held() == 1 && absent.problem() != null
                && absent.problem().contains("Connection refused"));
        assertThat(sent).isNotDone();
        HealthCheck.Result health = new RabbitHealthCheck(absent).call();
        assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("RabbitMQ is not connected")
                .doesNotContain("guest:guest"));

        absent.stop();
        assertThat(sent.get(5, TimeUnit.SECONDS).getException()).isInstanceOf(RabbitUnavailableException.class);
    }

    private boolean isUp(String id) {
        return HealthCheckHelper.invoke(context).stream().filter(r -> r.getCheck().getId().equals(id))
                .anyMatch(r -> r.getState() == HealthCheck.State.UP);
    }
}

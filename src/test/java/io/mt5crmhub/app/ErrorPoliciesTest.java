package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.mt5crmhub.kafka.KafkaFencedException;
import io.mt5crmhub.kafka.KafkaUnavailableException;
import io.mt5crmhub.pipeline.RejectedEventsException;
import io.mt5crmhub.rabbitmq.PoisonMessageException;
import io.mt5crmhub.rabbitmq.PublishRejectedException;
import io.mt5crmhub.rabbitmq.RabbitUnavailableException;
import io.mt5crmhub.store.FencedException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The shared error policies of routes/error-policies.yaml, named together the way the routes name them: the
 * onException clauses of all named policies apply, and the error handler comes from the policy that has one. The
 * policies are the real file with its delays shortened to milliseconds.
 */
class ErrorPoliciesTest extends CamelTestSupport {

    private static final int STORE_RETRIES = 5;
    private static final int MORE_THAN_ANY_RETRY_LIMIT = 8;

    /** What a sink step throws, attempt after attempt; it succeeds once they are used up. */
    private final List<Exception> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<String> deadLetteredBodies = new CopyOnWriteArrayList<>();
    /** What the dead letter store throws instead of keeping the event (the hub database away), or null. */
    private volatile Exception deadLetterFailure;

    /** Stands in for the deadLetterStore bean the policies call. */
    public class DeadLetterRecorder {
        public void store(Exchange exchange) throws Exception {
            if (deadLetterFailure != null) {
                throw deadLetterFailure;
            }
            deadLetteredBodies.add(exchange.getMessage().getBody(String.class));
        }
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("deadLetterStore", new DeadLetterRecorder());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        String policies = Files.readString(Path.of("routes/error-policies.yaml"))
                .replaceAll("maximumRedeliveryDelay: \\d+", "maximumRedeliveryDelay: 4")
                .replaceAll("(?<!maximumR)redeliveryDelay: \\d+", "redeliveryDelay: 1");
        Collection<RoutesBuilder> loaded = PluginHelper.getRoutesLoader(context)
                .findRoutesBuilders(ResourceHelper.fromString("error-policies.yaml", policies));
        List<RoutesBuilder> builders = new ArrayList<>(loaded);
        builders.add(new RouteBuilder() {
            @Override
            public void configure() {
                sink("crm-store", "server-fence-policy,database-outage-policy,hub-error-policy");
                sink("rabbitmq", "server-fence-policy,database-outage-policy,rabbitmq-error-policy");
                sink("crm-rest", "server-fence-policy,rest-crm-error-policy");
                sink("kafka", "server-fence-policy,database-outage-policy,kafka-error-policy");
                sink("crm-queue", "crm-queue-error-policy");
                sink("redis", "redis-error-policy");
            }

            private void sink(String name, String policies) {
                from("direct:" + name).routeId(name + "-test").routeConfigurationId(policies)
                        .process(exchange -> {
                            int attempt = attempts.getAndIncrement();
                            exchange.getMessage().setBody("changed by the failing step");
                            if (attempt < failures.size()) {
                                throw failures.get(attempt);
                            }
                        });
            }
        });
        return builders.toArray(RoutesBuilder[]::new);
    }

    private Exchange send(String sink, Exception... failing) {
        failures.addAll(List.of(failing));
        return template.send("direct:" + sink, exchange -> exchange.getMessage().setBody("the event"));
    }

    private static Exception[] times(int count, Exception failure) {
        Exception[] failing = new Exception[count];
        java.util.Arrays.fill(failing, failure);
        return failing;
    }

    private static SQLTransientConnectionException databaseAway() {
        return new SQLTransientConnectionException("connection refused");
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://crm.test/events", status, "status " + status, null, Map.of(),
                "refused");
    }

    /** Another instance took the event's server: nothing is retried or dead-lettered, whichever sink it was. */
    @Test
    void aWriteRefusedByTheServersFenceIsLeftToTheNewOwner() {
        for (String sink : List.of("crm-store", "rabbitmq", "crm-rest", "kafka")) {
            attempts.set(0);
            failures.clear();
            Exchange done = send(sink, new java.sql.SQLException("wrapped", new FencedException("live1",
                    "server live1 is no longer owned by hub instance hub-a")));

            assertThat(done.getException()).as(sink).isNull();
            assertThat(attempts).as(sink).hasValue(1);
            assertThat(deadLetteredBodies).as(sink).isEmpty();
        }
    }

    @Test
    void theCrmStoreWaitsForTheDatabaseBeyondItsRetryLimit() {
        Exchange done = send("crm-store", times(MORE_THAN_ANY_RETRY_LIMIT, databaseAway()));

        assertThat(done.getException()).isNull();
        assertThat(attempts).hasValue(MORE_THAN_ANY_RETRY_LIMIT + 1);
        assertThat(deadLetteredBodies).isEmpty();
    }

    @Test
    void theCrmStoreDeadLettersTheOriginalEventAfterItsRetries() {
        Exchange done = send("crm-store", times(MORE_THAN_ANY_RETRY_LIMIT, new IllegalStateException("refused")));

        assertThat(attempts).hasValue(1 + STORE_RETRIES);
        assertThat(deadLetteredBodies).containsExactly("the event");
        assertThat(done.getException()).isNull();
    }

    @Test
    void rabbitmqWaitsForTheDatabase() {
        Exchange done = send("rabbitmq", times(MORE_THAN_ANY_RETRY_LIMIT, databaseAway()));

        assertThat(done.getException()).isNull();
        assertThat(attempts).hasValue(MORE_THAN_ANY_RETRY_LIMIT + 1);
    }

    @Test
    void rabbitmqDeadLettersWhatThePublisherGaveUpOnWithoutRetrying() {
        Exchange rejected = send("rabbitmq", new PublishRejectedException("nacked"));
        Exchange unconfirmed = send("rabbitmq", new TimeoutException("no publisher confirm"));

        assertThat(rejected.getException()).isNull();
        assertThat(unconfirmed.getException()).isNull();
        assertThat(attempts).hasValue(2);
        assertThat(deadLetteredBodies).hasSize(2);
    }

    @Test
    void rabbitmqHandsAnyOtherFailureBackToTheConsumer() {
        Exchange done = send("rabbitmq", new RabbitUnavailableException("publisher stopped"));

        assertThat(done.getException()).isInstanceOf(RabbitUnavailableException.class);
        assertThat(attempts).hasValue(1);
        assertThat(deadLetteredBodies).isEmpty();
    }

    @Test
    void kafkaWaitsForTheBrokerAndForAFencedServerButNeverDeadLettersEitherWhileARefusalIsDeadLettered() {
        Exchange away = send("kafka", times(MORE_THAN_ANY_RETRY_LIMIT,
                new KafkaUnavailableException("no answer", null)));
        assertThat(away.getException()).isNull();
        assertThat(attempts).hasValue(MORE_THAN_ANY_RETRY_LIMIT + 1);

        attempts.set(0);
        failures.clear();
        Exchange fenced = send("kafka", times(MORE_THAN_ANY_RETRY_LIMIT, new KafkaFencedException("live1", "fenced")));
        assertThat(fenced.getException()).isNull();
        assertThat(attempts).hasValue(MORE_THAN_ANY_RETRY_LIMIT + 1);
        assertThat(deadLetteredBodies).isEmpty();

        attempts.set(0);
        failures.clear();
        Exchange refused = send("kafka", new RejectedEventsException("no topic", Map.of()));
        assertThat(refused.getException()).isNull();
        assertThat(attempts).hasValue(1);
        assertThat(deadLetteredBodies).hasSize(1);
    }

    @Test
    void theRestCrmDeadLettersARefusalAndRetriesEverythingElse() {
        Exchange refused = send("crm-rest", http(422));
        assertThat(refused.getException()).isNull();
        assertThat(deadLetteredBodies).containsExactly("the event");

        attempts.set(0);
        failures.clear();
        Exchange retried = send("crm-rest", times(MORE_THAN_ANY_RETRY_LIMIT, http(503)));
        assertThat(retried.getException()).isNull();
        assertThat(attempts).hasValue(MORE_THAN_ANY_RETRY_LIMIT + 1);
        assertThat(deadLetteredBodies).hasSize(1);
    }

    @Test
    void aQueueConsumerRecordsPoisonAndRejectsItButRetriesThenRequeuesAnyOtherFailure() {
        Exchange poison = send("crm-queue", new PoisonMessageException("not an event", null));
        assertThat(poison.getException()).isInstanceOf(PoisonMessageException.class);
        assertThat(attempts).hasValue(1);
        assertThat(deadLetteredBodies).hasSize(1);

        attempts.set(0);
        failures.clear();
        Exchange failing = send("crm-queue", times(MORE_THAN_ANY_RETRY_LIMIT, databaseAway()));
        assertThat(failing.getException()).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(attempts).hasValue(1 + STORE_RETRIES);
        assertThat(deadLetteredBodies).hasSize(1);
    }

    /**
     * An event that would be dead-lettered while the dead letter cannot be written (the hub database away) is neither
     * delivered nor kept: the exchange must fail, so the mt5: consumer holds the stream's checkpoint before it and
     * reads it again, instead of completing it as handled and moving past an event that is nowhere.
     */
    @Test
    void anEventWhoseDeadLetterCannotBeWrittenFailsItsExchangeInsteadOfCompleting() {
        deadLetterFailure = new java.sql.SQLException("cannot insert into hub_dead_letter", "08006");
        Map<String, Exception[]> deadLettering = new java.util.LinkedHashMap<>();
        deadLettering.put("crm-store", times(MORE_THAN_ANY_RETRY_LIMIT, new IllegalStateException("refused")));
        deadLettering.put("crm-store ", new Exception[] {new RejectedEventsException("1 of 1 refused", Map.of())});
        deadLettering.put("rabbitmq", new Exception[] {new PublishRejectedException("nacked")});
        deadLettering.put("kafka", new Exception[] {new RejectedEventsException("no topic", Map.of())});
        deadLettering.put("kafka ", times(MORE_THAN_ANY_RETRY_LIMIT, new IllegalStateException("unforeseen")));
        deadLettering.put("crm-rest", new Exception[] {http(422)});
        deadLettering.put("redis", new Exception[] {new RejectedEventsException("WRONGTYPE", Map.of())});
        deadLettering.put("redis ", times(MORE_THAN_ANY_RETRY_LIMIT, new IllegalStateException("unforeseen")));
        org.assertj.core.api.SoftAssertions.assertSoftly(softly -> deadLettering.forEach((sink, failing) -> {
            attempts.set(0);
            failures.clear();
            Exchange done = send(sink.strip(), failing);

            softly.assertThat(done.getException()).as("%s after %s", sink, failing[0]).isNotNull();
            softly.assertThat(deadLetteredBodies).as(sink).isEmpty();
        }));
    }
}

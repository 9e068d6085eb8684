package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.KafkaTestBroker;
import io.mt5crmhub.testsupport.KafkaTestBroker.Read;
import io.mt5crmhub.testsupport.StoreQueries;
import io.mt5crmhub.testsupport.TcpProxy;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's Kafka fan-out against a real KRaft broker in this JVM (auto-creation of topics off, as in production):
 * per-login order on several partitions, committed records only, a second writer fencing the hub, a missing topic
 * dead-lettered, and a broker away at start waited for.
 */
class KafkaFanOutIT {

    private static KafkaTestBroker broker;

    @TempDir
    Path dir;
    /** Names of this test's own: its topics and its MT5 server (so its transactional id). */
    private final String tag = "t" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start(Map.of("auto.create.topics.enable", "false", "num.partitions", "3"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void eachLoginsEventsArriveInOrderOnThreePartitionsEachOnceAndCommitted() throws Exception {
        createTopics(3);
        String server = "ord1"; // fixed keys, so a fixed spread over the partitions
        List<Mt5Event> distinct = new ArrayList<>();
        for (long t = 1; t <= 300; t++) {
            distinct.add(EventSamples.deposit(server, 3_000_000 + t, 50001 + t % 7, "5.00", "d" + t));
        }
        distinct.add(EventSamples.account(server, 50001, "1000.00", EventSamples.T0.plusSeconds(10)));
        distinct.add(EventSamples.position(server, EventType.POSITION_ADDED, 5_000_001, 50001, "1", "0",
                EventSamples.T0));
        List<Mt5Event> stream = new ArrayList<>(distinct);
        stream.addAll(distinct.subList(0, 150)); // redelivered
        stream.addAll(distinct.subList(100, 302)); // and again, out of order
        Collections.shuffle(stream, new Random(9));

        try (EmbeddedHub hub = hub(broker.bootstrapServers(), stream)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> broker.readCommitted(topic("deals")).size() >= 300
                    && broker.readCommitted(topic("accounts")).size() == 1
                    && broker.readCommitted(topic("positions")).size() == 1);
        }

        List<Read> deals = broker.readCommitted(topic("deals"));
        assertThat(deals).extracting(Read::eventId).as("each deal once")
                .containsExactlyInAnyOrderElementsOf(distinct.subList(0, 300).stream().map(Mt5Event::eventId).toList());
        assertThat(deals).allSatisfy(r -> {
            Mt5Event event = EventJson.read(r.value());
            assertThat(r.key()).isEqualTo(server + ":" + event.login());
            assertThat(r.eventId()).isEqualTo(event.eventId());
            assertThat(r.type()).isEqualTo("deal.added");
        });
        Map<String, java.util.Set<Integer>> partitionsByKey = new java.util.TreeMap<>();
        deals.forEach(r -> partitionsByKey.computeIfAbsent(r.key(), k -> new java.util.TreeSet<>()).add(r.partition()));
        assertThat(partitionsByKey).as("each login on one partition").allSatisfy((key, p) -> assertThat(p).hasSize(1));
        assertThat(deals.stream().map(Read::partition).distinct().count()).as("logins spread over the partitions")
                .isGreaterThan(1);
        assertThat(byLogin(deals)).as("each login's deals in the order they came")
                .isEqualTo(byLogin(stream));
        assertThat(broker.readUncommitted(topic("deals"))).as("no record of an aborted write").hasSameSizeAs(deals);
        Read account = broker.readCommitted(topic("accounts")).get(0);
        assertThat(account.type()).isEqualTo("account.updated");
        assertThat(EventJson.read(account.value())).isEqualTo(distinct.get(300));
    }

    @Test
    void aSecondProducerOfTheServersTransactionalIdFencesTheHubWhichThenWritesNothingMore() throws Exception {
        createTopics(3);
        String server = tag;
        List<Mt5Event> events = new ArrayList<>();
        for (long t = 1; t <= 3_000; t++) {
            events.add(EventSamples.deposit(server, 6_000_000 + t, 50001 + t % 5, "1.00", ""));
        }
        try (EmbeddedHub hub = hub(broker.bootstrapServers(), events, "50")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> broker.readCommitted(topic("deals")).size() >= 50);
            try (KafkaProducer<String, String> zombie = broker.transactionalProducer("mt5hub-kafka-" + server)) {
                zombie.beginTransaction();
                zombie.send(new ProducerRecord<>(topic("deals"), "other", "from the other writer"));
                zombie.commitTransaction();

                HealthCheck check = HealthCheckRegistry.get(hub.context()).getCheck("kafka").orElseThrow();
                await().atMost(Duration.ofSeconds(60)).until(() -> check.call().getState() == HealthCheck.State.DOWN);
                assertThat(check.call().getMessage()).hasValueSatisfying(m -> assertThat(m)
                        .contains("fenced the producer of MT5 server " + server).contains("mt5hub-kafka-" + server));
                int written = hubRecords(broker.readCommitted(topic("deals"))).size();
                await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(30))
                        .until(() -> hubRecords(broker.readCommitted(topic("deals"))).size() == written);
                assertThat(written).as("the hub stopped before the end of its events").isLessThan(events.size());
                assertThat(hub.context().getStatus().isStarted()).as("the hub runs on").isTrue();
                assertThat(deadLetters()).as("waiting events are not dead-lettered").isZero();
            }
        }
        assertThat(deadLetters()).as("a stop ends the wait without dead-lettering the list").isZero();
        List<Read> committed = hubRecords(broker.readCommitted(topic("deals")));
        assertThat(committed).extracting(Read::eventId).as("no event twice, nothing of an aborted write")
                .doesNotHaveDuplicates();
        assertThat(committed).extracting(Read::eventId).as("a prefix of what the hub read, in order per login")
                .allMatch(id -> events.stream().anyMatch(e -> e.eventId().equals(id)));
    }

    @Test
    void eventsForATopicThatDoesNotExistAreDeadLetteredWithTheBrokersAnswerAndTheOthersGoOn() throws Exception {
        broker.createTopic(topic("deals"), 1); // no positions and no accounts topic; auto-creation is off
        String server = tag;
        List<Mt5Event> events = new ArrayList<>();
        for (long t = 1; t <= 50; t++) {
            events.add(EventSamples.deposit(server, 7_000_000 + t, 50001 + t % 3, "1.00", ""));
        }
        Mt5Event account = EventSamples.account(server, 50001, "51.00", EventSamples.T0.plusSeconds(60));
        events.add(account);

        try (EmbeddedHub hub = hub(broker.bootstrapServers(), events)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> broker.readCommitted(topic("deals")).size() >= 50
                    && deadLetters() >= 1);
        }
        assertThat(broker.readCommitted(topic("deals"))).extracting(Read::eventId)
                .isEqualTo(events.subList(0, 50).stream().map(Mt5Event::eventId).toList());
        assertThat(store().rows("SELECT event_id, route_id, reason FROM hub_dead_letter")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get(0)).isEqualTo(account.eventId());
                    assertThat(row.get(1)).isEqualTo("kafka-accounts");
                    assertThat((String) row.get(2)).contains("Kafka has no topic " + topic("accounts"))
                            .contains("UnknownTopicOrPartitionException");
                });
        assertThat(broker.topics()).as("the hub created no topic").doesNotContain(topic("accounts"));
    }

    @Test
    void kafkaUnreachableAtStartIsHealthDownThenEveryEventArrivesOnceInOrder() throws Exception {
        createTopics(1);
        String server = tag;
        List<Mt5Event> events = new ArrayList<>();
        for (long t = 1; t <= 400; t++) {
            events.add(EventSamples.deposit(server, 8_000_000 + t, 50001 + t % 3, "1.00", ""));
        }
        try (TcpProxy proxy = new TcpProxy(broker.port())) {
            proxy.blackHole();
            try (EmbeddedHub hub = hub(proxy.address(), events)) {
                HealthCheck check = HealthCheckRegistry.get(hub.context()).getCheck("kafka").orElseThrow();
                // DOWN from the start ("not connected yet"), then with what the client ran into
                await().atMost(Duration.ofSeconds(60)).until(() -> check.call().getState() == HealthCheck.State.DOWN
                        && !check.call().getMessage().orElse("").contains("not connected yet"));
                assertThat(check.call().getMessage())
                        .hasValueSatisfying(m -> assertThat(m).startsWith("Kafka is not reachable: ")
                                .containsAnyOf("no answer", "Timeout"));
                assertThat(broker.readUncommitted(topic("deals"))).isEmpty();

                proxy.restore();

                await().atMost(Duration.ofSeconds(120)).until(() -> broker.readCommitted(topic("deals")).size() >= 400);
                await().atMost(Duration.ofSeconds(30)).until(() -> check.call().getState() == HealthCheck.State.UP);
            }
        }
        assertThat(broker.readCommitted(topic("deals"))).extracting(Read::eventId).as("every event, once, in order")
                .isEqualTo(events.stream().map(Mt5Event::eventId).toList());
    }

    private void createTopics(int partitions) throws Exception {
        for (String entity : List.of("deals", "positions", "accounts")) {
            broker.createTopic(topic(entity), partitions);
        }
    }

    private String topic(String entity) {
        return tag + "." + entity;
    }

    private EmbeddedHub hub(String bootstrapServers, List<Mt5Event> events) throws Exception {
        return hub(bootstrapServers, events, "0");
    }

    private EmbeddedHub hub(String bootstrapServers, List<Mt5Event> events, String rate) throws Exception {
        String server = events.get(0).server();
        Path file = EventSamples.writeJsonl(dir.resolve(server + ".jsonl"),
                events.stream().map(EventSamples::json).toList());
        return new EmbeddedHub()
                .replay(server, file)
                .with("mt5.server." + server + ".rate", rate)
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                .with("hub.crm.store.enabled", "false")
                .with("hub.kafka.bootstrap-servers", bootstrapServers)
                .with("hub.kafka.topic.deals", topic("deals"))
                .with("hub.kafka.topic.positions", topic("positions"))
                .with("hub.kafka.topic.accounts", topic("accounts"))
                .with("hub.kafka.timeout", "3s")
                .with("hub.kafka.batch-size", "50")
                .start();
    }

    /** The records the hub wrote (the other writer's key is not a login's). */
    private static List<Read> hubRecords(List<Read> records) {
        return records.stream().filter(r -> !"other".equals(r.key())).toList();
    }

    /** Each key's deal event ids in the order given (first copies only), by key. */
    private static Map<String, List<String>> byLogin(List<?> eventsOrRecords) {
        Map<String, LinkedHashSet<String>> byKey = new LinkedHashMap<>();
        for (Object item : eventsOrRecords) {
            Mt5Event event = item instanceof Read r ? EventJson.read(r.value()) : (Mt5Event) item;
            if (event.eventId().contains(":deal:")) {
                byKey.computeIfAbsent(event.server() + ":" + event.login(), k -> new LinkedHashSet<>())
                        .add(event.eventId());
            }
        }
        Map<String, List<String>> lists = new java.util.TreeMap<>();
        byKey.forEach((key, ids) -> lists.put(key, List.copyOf(ids)));
        return lists;
    }

    private long deadLetters() {
        try {
            return store().count("SELECT COUNT(*) FROM hub_dead_letter");
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private StoreQueries store() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("hub"));
        ds.setUser("sa");
        return new StoreQueries(ds);
    }
}

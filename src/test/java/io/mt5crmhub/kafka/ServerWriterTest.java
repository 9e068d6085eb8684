package io.mt5crmhub.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** One server's transactional writes against kafka-clients' own MockProducer and MockAdminClient. */
class ServerWriterTest {

    private static final Node BROKER = new Node(0, "localhost", 9092);

    private final MockAdminClient admin = new MockAdminClient(List.of(BROKER), BROKER);
    private final List<MockProducer<byte[], byte[]>> opened = new ArrayList<>();
    private Supplier<MockProducer<byte[], byte[]>> nextProducer = ServerWriterTest::mockProducer;
    private final EventRecords records = new EventRecords(Map.of(EntityType.DEAL, "deals", EntityType.ACCOUNT,
            "accounts"));
    private final ServerWriter writer = new ServerWriter("live1", "mt5hub-kafka-live1", this::open, records,
            new TopicCheck(admin, Duration.ofSeconds(1)), Duration.ofSeconds(1));

    ServerWriterTest() {
        admin.addTopic(false, "deals", List.of(new TopicPartitionInfo(0, BROKER, List.of(BROKER), List.of(BROKER))),
                Map.of());
    }

    private static MockProducer<byte[], byte[]> mockProducer() {
        return new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Producer<byte[], byte[]> open(String transactionalId) {
        assertThat(transactionalId).isEqualTo("mt5hub-kafka-live1");
        MockProducer<byte[], byte[]> producer = nextProducer.get();
        opened.add(producer);
        return producer;
    }

    private static List<Mt5Event> deposits(int from, int to) {
        List<Mt5Event> events = new ArrayList<>();
        for (int t = from; t <= to; t++) {
            events.add(EventSamples.deposit("live1", 1_000 + t, 50001 + t % 3, "1.00", ""));
        }
        return events;
    }

    private List<String> committedKeys(MockProducer<byte[], byte[]> producer) {
        return producer.history().stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aListIsCommittedInOneTransactionInItsOrderOnTheServersOneProducer() throws Exception {
        List<Mt5Event> events = deposits(1, 5);

        assertThat(writer.write(events)).isEmpty();
        assertThat(writer.write(deposits(6, 7))).isEmpty();

        assertThat(opened).hasSize(1);
        MockProducer<byte[], byte[]> producer = opened.get(0);
        assertThat(producer.transactionInitialized()).isTrue();
        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(producer.history()).hasSize(7);
        assertThat(committedKeys(producer).subList(0, 5))
                .isEqualTo(events.stream().map(e -> "live1:" + e.login()).toList());
    }

    @Test
    void aFencedProducerStopsTheServersWritesAndIsNeverOpenedAgain() throws Exception {
        writer.write(deposits(1, 2));
        opened.get(0).fenceProducer();

        assertThatThrownBy(() -> writer.write(deposits(3, 4))).isInstanceOf(KafkaFencedException.class)
                .hasMessageContaining("fenced the producer of MT5 server live1 (transactional id mt5hub-kafka-live1)");
        assertThatThrownBy(() -> writer.write(deposits(5, 6))).isInstanceOf(KafkaFencedException.class);

        assertThat(opened).as("re-initialising the id would fence the other writer in turn").hasSize(1);
        assertThat(opened.get(0).closed()).isTrue();
        assertThat(writer.fenced()).contains("another producer with that id started");
        assertThat(opened.get(0).history()).hasSize(2);
    }

    @Test
    void aCommitThatFailsLeavesNothingCommittedAndTheNextWriteOpensANewProducer() throws Exception {
        nextProducer = () -> {
            MockProducer<byte[], byte[]> failing = mockProducer();
            failing.commitTransactionException = new TimeoutException("Timeout expired after 1000ms");
            nextProducer = ServerWriterTest::mockProducer;
            return failing;
        };

        assertThatThrownBy(() -> writer.write(deposits(1, 3))).isInstanceOf(KafkaUnavailableException.class)
                .hasMessageContaining("did not commit 3 events of server live1: TimeoutException");
        assertThat(writer.write(deposits(1, 3))).isEmpty();

        assertThat(opened).hasSize(2);
        assertThat(opened.get(0).closed()).isTrue();
        assertThat(opened.get(0).history()).isEmpty();
        assertThat(opened.get(1).history()).hasSize(3);
    }

    @Test
    void aBrokerAwayAtTheFirstWriteIsAnOutageNotAFencing() {
        nextProducer = () -> {
            MockProducer<byte[], byte[]> away = mockProducer();
            away.initTransactionException = new TimeoutException("Timeout expired after 1000ms while awaiting"
                    + " InitProducerId");
            return away;
        };

        assertThatThrownBy(() -> writer.write(deposits(1, 1))).isInstanceOf(KafkaUnavailableException.class);
        assertThat(writer.fenced()).isNull();
    }

    @Test
    void eventsOfATopicThatDoesNotExistAreRefusedWithTheBrokersAnswerAndTheRestIsCommitted() throws Exception {
        nextProducer = () -> {
            MockProducer<byte[], byte[]> producer = mockProducer();
            producer.partitionsForException = new TimeoutException("Topic accounts not present in metadata");
            return producer;
        };
        Mt5Event account = EventSamples.account("live1", 50001, "1.00", EventSamples.T0);
        List<Mt5Event> events = new ArrayList<>(deposits(1, 2));
        events.add(1, account);

        Map<Mt5Event, String> refused = writer.write(events);

        assertThat(refused).containsOnlyKeys(account);
        assertThat(refused.get(account)).startsWith("Kafka has no topic accounts")
                .contains("UnknownTopicOrPartitionException");
        assertThat(opened.get(0).history()).hasSize(2);
    }

    @Test
    void aRecordTheBrokerRefusesAloneIsLeftOutAndTheRestCommittedInATransactionOfItsOwn() throws Exception {
        nextProducer = RefusingLogin::new;
        List<Mt5Event> events = deposits(1, 6); // logins 50002, 50003, 50001, ...

        Map<Mt5Event, String> refused = writer.write(events);

        assertThat(refused.keySet()).extracting(Mt5Event::login).containsOnly(50002L).hasSize(2);
        assertThat(refused.values()).allSatisfy(reason -> assertThat(reason)
                .isEqualTo("Kafka refused the record: RecordTooLargeException: too large"));
        assertThat(committedKeys(opened.get(0))).hasSize(4).doesNotContain("live1:50002");
    }

    /** Refuses the records of login 50002 as too large, putting its transaction in error as the client does. */
    private static final class RefusingLogin extends MockProducer<byte[], byte[]> {
        private boolean failed;

        RefusingLogin() {
            super(true, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (new String(record.key(), StandardCharsets.UTF_8).endsWith(":50002")) {
                failed = true;
                return CompletableFuture.failedFuture(new RecordTooLargeException("too large"));
            }
            return super.send(record, callback);
        }

        @Override
        public synchronized void commitTransaction() {
            if (failed) {
                throw new KafkaException("Cannot execute transactional method because we are in an error state",
                        new RecordTooLargeException("too large"));
            }
            super.commitTransaction();
        }

        @Override
        public synchronized void abortTransaction() {
            failed = false;
            super.abortTransaction();
        }
    }
}

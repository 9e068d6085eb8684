package io.mt5crmhub.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real Kafka broker inside the test JVM: one combined KRaft node of the kafka_2.13 3.9.1 test kit (the line of
 * camel-kafka 4.17's client), on an ephemeral localhost port, with replication factors of 1 so that transactions
 * work on one node. Takes about 10 s to start: start it once per test class. Reads a topic whole, committed records
 * only or everything written.
 */
public final class KafkaTestBroker implements AutoCloseable {

    /** One record as a consumer sees it: partition, key, the eventId and type headers, and the value. */
    public record Read(int partition, long offset, String key, String eventId, String type, String value) {
    }

    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private KafkaTestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        this.admin = Admin.create(props);
    }

    /** A broker with the given broker settings on top of the single-node ones (e.g. auto.create.topics.enable). */
    public static KafkaTestBroker start(Map<String, String> brokerConfig) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0");
        brokerConfig.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return new KafkaTestBroker(cluster);
    }

    /**
     * Runs the broker alone until killed, for {@code bench --kafka <printed bootstrap>} on a machine without Kafka
     * (docs/benchmarks.md): {@code java -cp <test class path> io.mt5crmhub.testsupport.KafkaTestBroker}.
     */
    public static void main(String[] args) throws Exception {
        KafkaTestBroker broker = start(Map.of("auto.create.topics.enable", "false"));
        System.out.println("kafka test broker: " + broker.bootstrapServers());
        Thread.currentThread().join();
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The port of the (first) broker listener, for a {@link TcpProxy} in front of it. */
    public int port() {
        String first = bootstrapServers().split(",")[0];
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }

    public void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    /** Every committed record of the topic, by partition then offset (read_committed: no record of an aborted write). */
    public List<Read> readCommitted(String topic) {
        return read(topic, "read_committed");
    }

    /** Every record written to the topic, aborted and still open transactions included (read_uncommitted). */
    public List<Read> readUncommitted(String topic) {
        return read(topic, "read_uncommitted");
    }

    private List<Read> read(String topic, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<Read> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return all;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // for read_committed the end offsets are the last stable offsets: what a consumer can read now
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end offsets " + ends);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    all.add(new Read(r.partition(), r.offset(), r.key(), header(r, "eventId"), header(r, "type"),
                            r.value()));
                }
            }
        }
        all.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return all;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * A producer initialised with {@code transactionalId}: from then on the broker fences any older producer of that
     * id (a zombie's view of the hub).
     */
    public KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        producer.initTransactions();
        return producer;
    }

    /** The topics that exist now. */
    public Set<String> topics() throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        admin.close(Duration.ofSeconds(5));
        cluster.close();
    }
}

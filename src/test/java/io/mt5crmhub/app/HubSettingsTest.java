package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;
import org.junit.jupiter.api.Test;

/** The hub's settings as shipped, and the rules that tie two features together. */
class HubSettingsTest {

    @Test
    void theShippedApplicationPropertiesHoldEveryDefault() throws IOException {
        HubSettings hub = HubSettings.from(Settings.of(shipped()));

        assertThat(hub.store().url()).isEqualTo("jdbc:h2:file:./data/hub");
        assertThat(hub.store().poolSize()).isEqualTo(10);
        assertThat(hub.rabbitmq().enabled()).isFalse();
        assertThat(hub.rabbitmq().batchSize()).isEqualTo(100);
        assertThat(hub.rabbitmq().maxInflight()).isEqualTo(20);
        assertThat(hub.restCrm().enabled()).isFalse();
        assertThat(hub.crm().storeEnabled()).isTrue();
        assertThat(hub.crm().consumerEnabled()).isFalse();
        assertThat(hub.balance().enabled()).isTrue();
        assertThat(hub.balance().answerTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(hub.deadLetters().replayPoll()).isEqualTo(Duration.ofSeconds(2));
        assertThat(hub.http().port()).isEqualTo(8080);
        assertThat(hub.http().apiEnabled()).isFalse();
        assertThat(hub.cluster().enabled()).isFalse();
    }

    @Test
    void instancesSharingTheServersNeedZooKeepersAddressAndPostgresql() throws IOException {
        Map<String, String> values = shipped();
        values.put("hub.cluster.type", "zookeeper");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values)))
                .hasMessage("hub.cluster.type=zookeeper needs hub.cluster.zookeeper.nodes (host:port,host:port,...)");

        values.put("hub.cluster.zookeeper.nodes", "zk1:2181,zk2:2181,zk3:2181");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values)))
                .hasMessage("hub.cluster.type=zookeeper needs hub.db.url on PostgreSQL: every instance reads and writes"
                        + " the same hub database, and an H2 file belongs to one process");

        values.put("hub.db.url", "jdbc:postgresql://db:5432/hub");
        values.put("hub.cluster.node-id", "hub-1");
        HubSettings hub = HubSettings.from(Settings.of(values));
        assertThat(hub.cluster().zookeeperNodes()).isEqualTo("zk1:2181,zk2:2181,zk3:2181");
        assertThat(hub.cluster().nodeId()).isEqualTo("hub-1");
        assertThat(hub.cluster().sessionTimeout()).isEqualTo(Duration.ofSeconds(6));

        values.put("hub.cluster.type", "etcd");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values)))
                .hasMessage("hub.cluster.type='etcd' must be none, zookeeper or kubernetes");
        values.put("hub.cluster.type", "zookeeper");
        values.put("hub.cluster.node-id", "hub 1");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values))).hasMessageStartingWith("hub.cluster.node-id='hub 1'");
    }

    @Test
    void aKeyMissingFromTheShippedDefaultsIsNamed() throws IOException {
        Map<String, String> values = shipped();
        values.remove("hub.rabbitmq.batch-size");

        assertThatThrownBy(() -> HubSettings.from(Settings.of(values))).isInstanceOf(ConfigurationException.class)
                .hasMessage("hub.rabbitmq.batch-size is required");
    }

    @Test
    void theCrmConsumersNeedRabbitmqAndTheRestConnectorACrmUrl() throws IOException {
        Map<String, String> values = shipped();
        values.put("hub.crm.consumer.enabled", "true");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values)))
                .hasMessage("hub.crm.consumer.enabled=true needs hub.rabbitmq.uri: the consumers read the crm.* queues");

        values.put("hub.rabbitmq.uri", "amqp://guest:guest@127.0.0.1:5672/");
        values.put("hub.crm.consumer.connector", "rest");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values)))
                .hasMessage("hub.crm.consumer.connector=rest needs hub.crm.rest.url");

        values.put("hub.crm.rest.url", "https://crm.example.com/mt5");
        assertThat(HubSettings.from(Settings.of(values)).crm().consumerConnector()).isEqualTo("rest");
    }

    @Test
    void badEndpointsAreRefusedWithTheirKeyButWithoutTheirCredentials() throws IOException {
        Map<String, String> values = shipped();
        values.put("hub.rabbitmq.uri", "http://user:S3cret@rabbit:5672/");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values)))
                .hasMessage("hub.rabbitmq.uri must be an amqp:// or amqps:// URI");

        values.put("hub.rabbitmq.uri", "amqp://user:S3cret@rabbit:5672/");
        values.put("hub.db.url", "jdbc:mysql://db/hub");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values)))
                .hasMessage("hub.db.url must be a jdbc:h2: or jdbc:postgresql: URL");
        assertThat(HubSettings.from(Settings.of(withDb(values))).rabbitmq().toString()).doesNotContain("S3cret");
    }

    @Test
    void theKafkaSinkIsOnWithBootstrapServersAndRefusesABadListOrTopicByItsKey() throws IOException {
        Map<String, String> values = shipped();
        assertThat(HubSettings.from(Settings.of(values)).kafka().enabled()).isFalse();
        assertThat(HubSettings.from(Settings.of(values)).kafka().batchSize()).isEqualTo(500);

        values.put("hub.kafka.bootstrap-servers", "kafka1:9092, kafka2:9092");
        assertThat(HubSettings.from(Settings.of(values)).kafka().enabled()).isTrue();

        values.put("hub.kafka.bootstrap-servers", "kafka://kafka1");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values))).hasMessage("hub.kafka.bootstrap-servers must"
                + " be a comma list of host:port, such as kafka1:9092,kafka2:9092");

        values.put("hub.kafka.bootstrap-servers", "kafka1:9092");
        values.put("hub.kafka.topic.accounts", "mt5 accounts");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values))).hasMessage("hub.kafka.topic.accounts="
                + "'mt5 accounts' is not a Kafka topic name (letters, digits, '.', '_', '-')");

        values.put("hub.kafka.topic.accounts", "mt5.accounts");
        values.put("hub.kafka.client-config", "/no/such/kafka.properties");
        assertThatThrownBy(() -> HubSettings.from(Settings.of(values))).hasMessage("hub.kafka.client-config: cannot"
                + " read the Kafka client properties file /no/such/kafka.properties");
    }

    private static Map<String, String> withDb(Map<String, String> values) {
        values.put("hub.db.url", "jdbc:postgresql://db:5432/hub?password=S3cret");
        return values;
    }

    /** application.properties as the jar carries it. */
    static Map<String, String> shipped() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(reader);
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        return values;
    }
}

package io.mt5crmhub.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientPropertiesTest {

    @TempDir
    Path dir;

    @Test
    void aFileAddsSecurityAndTuningUnderTheHubsOwnProducerSettings() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="hub" password="S3cret";
                linger.ms=5
                """);
        ClientProperties properties = ClientProperties.load(file.toString());

        Properties producer = properties.producer("kafka1:9092", "mt5hub-kafka-live1", Duration.ofSeconds(15));
        assertThat(producer).containsEntry("security.protocol", "SASL_SSL").containsEntry("linger.ms", "5")
                .containsEntry("bootstrap.servers", "kafka1:9092")
                .containsEntry("transactional.id", "mt5hub-kafka-live1").containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true").containsEntry("max.block.ms", "15000");
        Properties admin = properties.admin("kafka1:9092", "mt5hub-kafka-admin", Duration.ofSeconds(15));
        assertThat(admin).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config").doesNotContainKey("linger.ms");
    }

    @Test
    void aFileMayNotChangeWhatTheGuaranteesRestOnAndAMissingFileIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), "acks=1\nenable.idempotence=false\n");

        assertThatThrownBy(() -> ClientProperties.load(file.toString())).hasMessage("the Kafka client properties file "
                + file + " sets [acks, enable.idempotence]: the hub sets these itself (hub.kafka.* keys)");
        assertThatThrownBy(() -> ClientProperties.load(dir.resolve("none.properties").toString()))
                .hasMessageStartingWith("cannot read the Kafka client properties file");
        assertThat(ClientProperties.load("").producer("k:9092", "t", Duration.ofSeconds(1)))
                .doesNotContainKey("security.protocol");
    }
}

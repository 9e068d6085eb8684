package io.mt5crmhub.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class EventRecordsTest {

    private final EventRecords records = new EventRecords(Map.of(EntityType.DEAL, "d", EntityType.POSITION, "p"));

    @Test
    void aRecordIsKeyedByServerAndLoginCarriesTheJsonAndNamesTheEventInItsHeaders() {
        Mt5Event deposit = EventSamples.deposit("live1", 123456, 50012, "100.00", "crm:TX-9");

        ProducerRecord<byte[], byte[]> record = records.recordOf(deposit);

        assertThat(record.topic()).isEqualTo("d");
        assertThat(record.partition()).as("the key picks the partition").isNull();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("live1:50012");
        assertThat(EventJson.read(record.value())).isEqualTo(deposit);
        assertThat(new String(record.headers().lastHeader("eventId").value(), StandardCharsets.UTF_8))
                .isEqualTo(deposit.eventId());
        assertThat(new String(record.headers().lastHeader("type").value(), StandardCharsets.UTF_8))
                .isEqualTo("deal.added");
    }

    @Test
    void eachEntityGoesToItsTopicAndOneWithoutATopicIsNamed() {
        Mt5Event position = EventSamples.position("live1", EventType.POSITION_UPDATED, 7, 50012, "1", "2",
                EventSamples.T0);
        Mt5Event account = EventSamples.account("live1", 50012, "1.00", EventSamples.T0);

        assertThat(records.recordOf(position).topic()).isEqualTo("p");
        assertThatThrownBy(() -> records.recordOf(account)).hasMessage("no Kafka topic for account events");
    }
}

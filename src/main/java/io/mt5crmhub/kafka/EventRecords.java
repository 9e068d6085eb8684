package io.mt5crmhub.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * An event as a Kafka record: the entity's topic, key {@code <server>:<login>} (so every event of one login lands on
 * one partition, in the order sent), the event's JSON as the value, and the headers {@code eventId} (for a consumer to
 * drop a repeat) and {@code type}. Key and headers are UTF-8.
 */
final class EventRecords {

    static final String EVENT_ID_HEADER = "eventId";
    static final String TYPE_HEADER = "type";

    private final Map<EntityType, String> topics;

    EventRecords(Map<EntityType, String> topics) {
        this.topics = Map.copyOf(topics);
    }

    /** The topic an entity's events go to. */
    String topicOf(EntityType entity) {
        String topic = topics.get(entity);
        if (topic == null) {
            throw new IllegalArgumentException("no Kafka topic for " + entity.wireName() + " events");
        }
        return topic;
    }

    static String keyOf(Mt5Event event) {
        return event.server() + ":" + event.login();
    }

    ProducerRecord<byte[], byte[]> recordOf(Mt5Event event) {
        List<Header> headers = List.of(
                new RecordHeader(EVENT_ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(TYPE_HEADER, event.type().toString().getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topicOf(event.entity()), null, null,
                keyOf(event).getBytes(StandardCharsets.UTF_8), EventJson.writeBytes(event), headers);
    }
}

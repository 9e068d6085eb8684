package io.mt5crmhub.event;

import org.apache.camel.Converter;

/** Camel type converters between events and their JSON form, so routes and connectors can convertBodyTo. */
@Converter(generateLoader = true)
public final class EventConverters {

    private EventConverters() {
    }

    @Converter
    public static String toJson(Mt5Event event) {
        return EventJson.write(event);
    }

    @Converter
    public static byte[] toJsonBytes(Mt5Event event) {
        return EventJson.writeBytes(event);
    }

    @Converter
    public static Mt5Event fromJson(String json) {
        return EventJson.read(json);
    }

    @Converter
    public static Mt5Event fromJsonBytes(byte[] json) {
        return EventJson.read(json);
    }
}

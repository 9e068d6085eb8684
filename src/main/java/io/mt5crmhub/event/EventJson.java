package io.mt5crmhub.event;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The event contract's JSON form. One mapper for the whole hub: building an {@link ObjectMapper} is costly,
 * using one is thread-safe.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(IsoInstants.module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // events are a contract that grows: a newer producer's extra fields must not break an older reader
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // tickets and logins are JSON whole numbers: 1.5 is a broken event, not ticket 1, and "５０" (full-width
            // digits, which Java's parsers take) is not login 50
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();
    private static final ObjectWriter WRITER = MAPPER.writerFor(Mt5Event.class);
    private static final ObjectReader READER = MAPPER.readerFor(Mt5Event.class);

    private EventJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Mt5Event event) {
        try {
            return WRITER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] writeBytes(Mt5Event event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and validates one event.
     *
     * @throws InvalidEventException naming what is wrong with the text
     */
    public static Mt5Event read(String json) {
        Mt5Event event;
        try {
            event = READER.readValue(json);
        } catch (JsonMappingException e) {
            String field = fieldPath(e);
            throw new InvalidEventException((field.isEmpty() ? "" : field + ": ") + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new InvalidEventException("not a valid event JSON: " + firstLine(e.getMessage()), e);
        }
        EventValidator.validate(event);
        return event;
    }

    public static Mt5Event read(byte[] json) {
        return read(new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

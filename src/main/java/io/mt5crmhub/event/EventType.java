package io.mt5crmhub.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An event's {@code type}: {@code <entity>.<change>}, e.g. {@code deal.added}. */
public record EventType(EntityType entity, ChangeType change) {

    public static final EventType DEAL_ADDED = new EventType(EntityType.DEAL, ChangeType.ADDED);
    public static final EventType DEAL_UPDATED = new EventType(EntityType.DEAL, ChangeType.UPDATED);
    public static final EventType DEAL_DELETED = new EventType(EntityType.DEAL, ChangeType.DELETED);
    public static final EventType POSITION_ADDED = new EventType(EntityType.POSITION, ChangeType.ADDED);
    public static final EventType POSITION_UPDATED = new EventType(EntityType.POSITION, ChangeType.UPDATED);
    public static final EventType POSITION_DELETED = new EventType(EntityType.POSITION, ChangeType.DELETED);
    public static final EventType ACCOUNT_ADDED = new EventType(EntityType.ACCOUNT, ChangeType.ADDED);
    public static final EventType ACCOUNT_UPDATED = new EventType(EntityType.ACCOUNT, ChangeType.UPDATED);
    public static final EventType ACCOUNT_DELETED = new EventType(EntityType.ACCOUNT, ChangeType.DELETED);

    /** Also what JSON reading ends in when an object stands where the text should: it must not make nulls. */
    public EventType {
        if (entity == null || change == null) {
            throw new IllegalArgumentException("an event type needs an entity and a change, e.g. deal.added");
        }
    }

    @JsonCreator
    public static EventType parse(String text) {
        int dot = text == null ? -1 : text.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("event type '" + text + "' is not <entity>.<change>");
        }
        try {
            return new EventType(EntityType.valueOf(text.substring(0, dot).toUpperCase(java.util.Locale.ROOT)),
                    ChangeType.valueOf(text.substring(dot + 1).toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event type '" + text
                    + "' is not one of deal|position|account|order . added|updated|deleted");
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return entity.wireName() + "." + change.wireName();
    }
}

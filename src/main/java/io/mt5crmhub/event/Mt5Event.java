package io.mt5crmhub.event;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One MT5 change, in the hub's event contract {@value #SCHEMA} (see docs/events.md). Exactly one of
 * {@code deal}, {@code position}, {@code account} is set, matching the entity of {@code type}.
 * {@code clientId} is the CRM client owning the login, or null when the login is not mapped;
 * {@code group} is the login's MT5 group when the gateway knows it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "schema", "eventId", "type", "server", "login", "clientId", "group", "occurredAt",
        "deal", "position", "account" })
public record Mt5Event(
        String schema,
        String eventId,
        EventType type,
        String server,
        long login,
        @JsonInclude(JsonInclude.Include.ALWAYS) String clientId,
        String group,
        Instant occurredAt,
        Deal deal,
        Position position,
        Account account) {

    public static final String SCHEMA = "mt5hub.event/v1";

    public static Mt5Event ofDeal(String server, EventType type, long login, String group, Instant occurredAt,
            Deal deal) {
        String id = EventIds.of(server, type, deal.ticket(), type.change() == ChangeType.UPDATED ? occurredAt : null);
        return new Mt5Event(SCHEMA, id, type, server, login, null, group, occurredAt, deal, null, null);
    }

    public static Mt5Event ofPosition(String server, EventType type, long login, String group, Instant occurredAt,
            Position position) {
        String id = EventIds.of(server, type, position.ticket(), position.updatedAt());
        return new Mt5Event(SCHEMA, id, type, server, login, null, group, occurredAt, null, position, null);
    }

    public static Mt5Event ofAccount(String server, EventType type, long login, Account account) {
        String id = EventIds.of(server, type, login, account.updatedAt());
        return new Mt5Event(SCHEMA, id, type, server, login, null, account.group(), account.updatedAt(), null, null,
                account);
    }

    public Mt5Event withClientId(String newClientId) {
        if (Objects.equals(clientId, newClientId)) {
            return this;
        }
        return new Mt5Event(schema, eventId, type, server, login, newClientId, group, occurredAt, deal, position,
                account);
    }

    public EntityType entity() {
        return type.entity();
    }
}

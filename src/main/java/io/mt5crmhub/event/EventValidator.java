package io.mt5crmhub.event;

import java.time.Instant;

/** Checks an event read from outside (a replay file, a queue) against the contract. */
public final class EventValidator {

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private EventValidator() {
    }

    public static void validate(Mt5Event event) {
        if (event == null) {
            throw new InvalidEventException("empty event");
        }
        if (!Mt5Event.SCHEMA.equals(event.schema())) {
            throw new InvalidEventException("schema must be '" + Mt5Event.SCHEMA + "', was '" + event.schema() + "'");
        }
        require(event.eventId(), "eventId");
        require(event.type(), "type");
        require(event.server(), "server");
        requireTime(event.occurredAt(), "occurredAt");
        if (event.login() <= 0) {
            throw new InvalidEventException("login must be a positive MT5 login, was " + event.login());
        }
        if (event.eventId().length() > 100) {
            throw new InvalidEventException("eventId is longer than 100 characters");
        }
        switch (event.type().entity()) {
            case DEAL -> validateDeal(event);
            case POSITION -> validatePosition(event);
            case ACCOUNT -> validateAccount(event);
            case ORDER -> throw new InvalidEventException("order events are not supported yet");
        }
        // the id is the idempotency key: one naming another record would make the hub drop that record as a repeat
        String id = idOfPayload(event);
        if (!event.eventId().equals(id)) {
            throw new InvalidEventException("eventId '" + event.eventId() + "' is not the id of this event's "
                    + event.type().entity().wireName() + ", which is '" + id + "'");
        }
    }

    private static String idOfPayload(Mt5Event event) {
        return switch (event.type().entity()) {
            case DEAL -> EventIds.of(event.server(), event.type(), event.deal().ticket(), event.occurredAt());
            case POSITION -> EventIds.of(event.server(), event.type(), event.position().ticket(),
                    event.position().updatedAt());
            default -> EventIds.of(event.server(), event.type(), event.login(), event.account().updatedAt());
        };
    }

    private static void validateDeal(Mt5Event event) {
        Deal deal = require(event.deal(), "deal");
        onlyPayload(event, event.position() == null && event.account() == null);
        if (deal.ticket() <= 0) {
            throw new InvalidEventException("deal.ticket must be positive, was " + deal.ticket());
        }
        require(deal.action(), "deal.action");
        require(deal.entry(), "deal.entry");
        require(deal.reason(), "deal.reason");
        require(deal.volume(), "deal.volume");
        require(deal.price(), "deal.price");
        require(deal.profit(), "deal.profit");
        require(deal.commission(), "deal.commission");
        require(deal.swap(), "deal.swap");
        require(deal.fee(), "deal.fee");
    }

    private static void validatePosition(Mt5Event event) {
        Position position = require(event.position(), "position");
        onlyPayload(event, event.deal() == null && event.account() == null);
        if (position.ticket() <= 0) {
            throw new InvalidEventException("position.ticket must be positive, was " + position.ticket());
        }
        require(position.action(), "position.action");
        require(position.volume(), "position.volume");
        requireTime(position.updatedAt(), "position.updatedAt");
        if (position.openedAt() != null) {
            requireTime(position.openedAt(), "position.openedAt");
        }
    }

    private static void validateAccount(Mt5Event event) {
        Account account = require(event.account(), "account");
        onlyPayload(event, event.deal() == null && event.position() == null);
        require(account.balance(), "account.balance");
        require(account.credit(), "account.credit");
        requireTime(account.updatedAt(), "account.updatedAt");
        if (account.registeredAt() != null) {
            requireTime(account.registeredAt(), "account.registeredAt");
        }
    }

    private static void onlyPayload(Mt5Event event, boolean othersAbsent) {
        if (!othersAbsent) {
            throw new InvalidEventException("a " + event.type() + " event carries only its '"
                    + event.type().entity().wireName() + "' object");
        }
    }

    /** MT5 and the stores keep times from 1970 to 9999; beyond, a time has no epoch milliseconds for the event id. */
    private static void requireTime(Instant time, String field) {
        require(time, field);
        if (time.isBefore(Instant.EPOCH) || time.isAfter(LATEST)) {
            throw new InvalidEventException(field + " " + time + " is out of range (1970 to 9999)");
        }
    }

    private static <T> T require(T value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new InvalidEventException(field + " is missing");
        }
        return value;
    }
}

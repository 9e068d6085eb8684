package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.event.PositionAction;

/** Hand-made events for tests: realistic MT5 shapes, built through the production factories. */
public final class EventSamples {

    public static final Instant T0 = Instant.parse("2026-11-24T06:40:12.345Z");

    private EventSamples() {
    }

    public static Mt5Event deposit(String server, long ticket, long login, String amount, String comment) {
        Deal deal = new Deal(ticket, 0, 0, DealAction.BALANCE, DealEntry.IN, DealReason.DEALER, "",
                BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal(amount), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, comment);
        return Mt5Event.ofDeal(server, EventType.DEAL_ADDED, login, "real\\usd", T0.plusSeconds(ticket % 1000), deal);
    }

    public static Mt5Event buy(String server, long ticket, long login, long positionId, String lots) {
        Deal deal = new Deal(ticket, positionId, positionId, DealAction.BUY, DealEntry.IN, DealReason.CLIENT,
                "EURUSD", new BigDecimal(lots), new BigDecimal("1.08123"), BigDecimal.ZERO, new BigDecimal("-3.50"),
                BigDecimal.ZERO, BigDecimal.ZERO, "");
        return Mt5Event.ofDeal(server, EventType.DEAL_ADDED, login, "real\\usd", T0.plusSeconds(ticket % 1000), deal);
    }

    public static Mt5Event position(String server, EventType type, long ticket, long login, String lots,
            String profit, Instant updatedAt) {
        Position p = new Position(ticket, PositionAction.BUY, "EURUSD", new BigDecimal(lots), new BigDecimal("1.08123"),
                new BigDecimal("1.08200"), null, null, new BigDecimal(profit), BigDecimal.ZERO, "", T0, updatedAt);
        return Mt5Event.ofPosition(server, type, login, "real\\usd", updatedAt, p);
    }

    public static Mt5Event account(String server, long login, String balance, Instant updatedAt) {
        Account a = new Account("real\\usd", "Client " + login, login + "@example.com", 100, "USD",
                new BigDecimal(balance), BigDecimal.ZERO, 0, T0, updatedAt);
        return Mt5Event.ofAccount(server, EventType.ACCOUNT_UPDATED, login, a);
    }

    public static Path writeJsonl(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    public static String json(Mt5Event event) {
        return EventJson.write(event);
    }
}

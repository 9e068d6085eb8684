package io.mt5crmhub.gateway.simulator.server;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.event.PositionAction;
import io.mt5crmhub.gateway.Mt5Retcode;

/**
 * Writes the simulated books the way the MT5 Web API answers: the envelope {@code {"retcode":"0 Done","answer":…}},
 * records in PascalCase with the {@code IMTDeal} / {@code IMTPosition} / {@code IMTUser} field names, every number
 * as a JSON string, volumes in MT5 units ({@code Volume} 1/10000 lot, {@code VolumeExt} 1e-8 lot) and times in
 * server-local time ({@code Time} seconds, {@code TimeMsc} milliseconds).
 */
final class WebApiAnswers {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final long offsetMillis;

    WebApiAnswers(int timezoneMinutes) {
        this.offsetMillis = timezoneMinutes * 60_000L;
    }

    static ObjectNode envelope(String retcode) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("retcode", retcode);
        return root;
    }

    /** An envelope that carries only MT5's error {@code code}, as {@code "<code> <description>"}. */
    static ObjectNode refusal(int code) {
        return envelope(code + " " + Mt5Retcode.describe(code));
    }

    long serverMillis(Instant utc) {
        return utc.toEpochMilli() + offsetMillis;
    }

    /** A server-local time in whole seconds, as MT5 history windows give it, back to the UTC instant it starts. */
    Instant fromServerSeconds(long seconds) {
        return Instant.ofEpochMilli(seconds * 1000 - offsetMillis);
    }

    ObjectNode deal(Mt5Event event) {
        Deal d = event.deal();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("Deal", Long.toString(d.ticket()));
        node.put("ExternalID", "");
        node.put("Login", Long.toString(event.login()));
        node.put("Dealer", "0");
        node.put("Order", Long.toString(d.order()));
        node.put("Action", Integer.toString(d.action().code()));
        node.put("Entry", Integer.toString(d.entry().code()));
        node.put("Reason", Integer.toString(d.reason().code()));
        putTime(node, "Time", event.occurredAt());
        node.put("Symbol", d.symbol());
        node.put("Price", plain(d.price()));
        putVolume(node, d.volume());
        node.put("Profit", plain(d.profit()));
        node.put("Storage", plain(d.swap()));
        node.put("Commission", plain(d.commission()));
        node.put("Fee", plain(d.fee()));
        node.put("PositionID", Long.toString(d.positionId()));
        node.put("Comment", d.comment());
        return node;
    }

    ObjectNode position(Mt5Event event) {
        Position p = event.position();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("Position", Long.toString(p.ticket()));
        node.put("ExternalID", "");
        node.put("Login", Long.toString(event.login()));
        node.put("Symbol", p.symbol());
        node.put("Action", p.action() == PositionAction.BUY ? "0" : "1");
        putTime(node, "TimeCreate", p.openedAt());
        putTime(node, "TimeUpdate", p.updatedAt());
        node.put("PriceOpen", plain(p.priceOpen()));
        node.put("PriceCurrent", plain(p.priceCurrent()));
        node.put("PriceSL", plain(p.priceSl()));
        node.put("PriceTP", plain(p.priceTp()));
        putVolume(node, p.volume());
        node.put("Profit", plain(p.profit()));
        node.put("Storage", plain(p.swap()));
        node.put("Comment", p.comment());
        return node;
    }

    ObjectNode user(Mt5Event event) {
        Account a = event.account();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("Login", Long.toString(event.login()));
        node.put("Group", a.group());
        node.put("Name", a.name());
        node.put("Email", a.email());
        node.put("Leverage", Integer.toString(a.leverage()));
        node.put("Agent", Long.toString(a.agent()));
        node.put("Balance", plain(a.balance()));
        node.put("Credit", plain(a.credit()));
        if (a.registeredAt() != null) {
            node.put("Registration", Long.toString(Math.floorDiv(serverMillis(a.registeredAt()), 1000L)));
        }
        return node;
    }

    private void putTime(ObjectNode node, String name, Instant utc) {
        long millis = serverMillis(utc);
        node.put(name, Long.toString(Math.floorDiv(millis, 1000L)));
        node.put(name + "Msc", Long.toString(millis));
    }

    private static void putVolume(ObjectNode node, BigDecimal lots) {
        node.put("Volume", lots.movePointRight(4).setScale(0, java.math.RoundingMode.DOWN).toPlainString());
        node.put("VolumeExt", lots.movePointRight(8).setScale(0, java.math.RoundingMode.DOWN).toPlainString());
    }

    private static String plain(BigDecimal value) {
        return value == null ? "0" : value.toPlainString();
    }
}

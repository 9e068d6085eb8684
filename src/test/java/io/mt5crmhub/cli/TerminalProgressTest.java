package io.mt5crmhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class TerminalProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(100));

    private String shown() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void after(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void inALogALineComesAtOnceThenAtMostOncePerIntervalAndTheLastAlways() {
        TerminalProgress progress = new TerminalProgress(stream, false, Duration.ofSeconds(10), clock::get);

        progress.update("0 / 9");
        after(4);
        progress.update("3 / 9");
        after(6);
        progress.update("6 / 9");
        after(1);
        progress.finish("9 / 9");

        assertThat(shown()).isEqualTo(String.join(System.lineSeparator(), "0 / 9", "6 / 9", "9 / 9", ""));
    }

    @Test
    void onATerminalOneLineIsRewrittenInPlaceAndEndedAtTheEnd() {
        TerminalProgress progress = new TerminalProgress(stream, true, Duration.ofSeconds(1), clock::get);
        String first = "replay: 0 / 10 dead letters, time left unknown";
        String second = "replay: 5 / 10 dead letters";
        String last = "replay: 10 / 10 done";

        progress.update(first);
        after(1);
        progress.update(second);
        progress.update("not yet: within the second");
        after(1);
        progress.finish(last);

        assertThat(shown()).isEqualTo("\r" + first
                + "\r" + second + " ".repeat(first.length() - second.length())
                + "\r" + last + " ".repeat(second.length() - last.length()) + System.lineSeparator());
    }
}

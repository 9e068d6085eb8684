package io.mt5crmhub.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A long command's progress on stderr, apart from its result on stdout. On a terminal one line is rewritten in place
 * ({@code \r}) every second at most; anywhere else (a log file, a pipe) a new line is written every {@link
 * #LINE_EVERY} at most, so that a log keeps a few lines rather than hundreds. The first update shows at once; the
 * last one ends the line.
 */
final class TerminalProgress {

    static final Duration TERMINAL_EVERY = Duration.ofSeconds(1);
    static final Duration LINE_EVERY = Duration.ofSeconds(10);

    private final PrintStream out;
    private final boolean terminal;
    private final long everyNanos;
    private final LongSupplier nanoTime;
    private boolean shown;
    private long shownAt;
    private int shownLength;

    TerminalProgress(PrintStream out, boolean terminal, Duration every, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.everyNanos = every.toNanos();
        this.nanoTime = nanoTime;
    }

    /** On stderr, in place when the command runs on a terminal ({@code System.console()} is there). */
    static TerminalProgress onStderr(PrintStream err) {
        boolean terminal = System.console() != null;
        return new TerminalProgress(err, terminal, terminal ? TERMINAL_EVERY : LINE_EVERY, System::nanoTime);
    }

    /** Shows {@code line} if the last one shown is old enough (or none was). */
    void update(String line) {
        long now = nanoTime.getAsLong();
        if (shown && now - shownAt < everyNanos) {
            return;
        }
        show(line, now);
    }

    /** Shows the last line whatever the time, and ends it. */
    void finish(String line) {
        show(line, nanoTime.getAsLong());
        if (terminal) {
            out.println();
        }
        out.flush();
    }

    private void show(String line, long now) {
        if (terminal) {
            // spaces over what is left of a longer line before
            out.print("\r" + line + " ".repeat(Math.max(0, shownLength - line.length())));
            out.flush();
        } else {
            out.println(line);
        }
        shown = true;
        shownAt = now;
        shownLength = line.length();
    }
}

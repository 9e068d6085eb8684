package io.mt5crmhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ReconcileProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
    private final ReconcileProgress progress = new ReconcileProgress(new TerminalProgress(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), false, Duration.ofSeconds(10), clock::get), clock::get);

    @Test
    void showsServersReadTheirRateTimeLeftLoginsComparedAndDifferences() {
        progress.start(4);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
        progress.serverCompared(1, 1, 4, 12_345, 2);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(20));
        progress.serverCompared(1, 4, 4, 40_000, 3);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        progress.serverCompared(2, 4, 4, 40_000, 0);
        progress.finish();

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "reconcile: 0 / 4 MT5 servers (0%), 0.0/s, time left unknown, 0 logins compared, 0 differ",
                "reconcile: 1 / 4 MT5 servers (25%), 0.1/s, about 30 s left, 12,345 logins compared, 2 differ",
                "reconcile: 4 / 4 MT5 servers (100%), 0.1/s, done in 30 s, 40,000 logins compared, 3 differ",
                "reconcile (comparing again, round 2): 4 / 4 MT5 servers (100%), 0.1/s, done in 31 s, 40,000 logins"
                        + " compared, 0 differ");
    }
}

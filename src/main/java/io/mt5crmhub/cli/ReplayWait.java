package io.mt5crmhub.cli;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.mt5crmhub.deadletter.DeadLetters;
import io.mt5crmhub.deadletter.ReplayBacklog;

/**
 * Follows the replays {@code dead-letters replay --all --wait} asked for, as the running hub performs them, showing
 * done against total, the rate and the time left, until none waits or none was done for {@code giveUpAfter} (no hub
 * running, or one that cannot reach the sink).
 */
final class ReplayWait {

    static final Duration POLL = Duration.ofMillis(500);

    private final DeadLetters deadLetters;
    private final Optional<String> route;
    private final long upToId;
    private final TerminalProgress progress;
    private final LongSupplier nanoTime;

    /** Follows the dead letters up to {@code upToId} (of {@code route}), the ones the command marked. */
    ReplayWait(DeadLetters deadLetters, Optional<String> route, long upToId, TerminalProgress progress,
            LongSupplier nanoTime) {
        this.deadLetters = deadLetters;
        this.route = route;
        this.upToId = upToId;
        this.progress = progress;
        this.nanoTime = nanoTime;
    }

    /** @return where the replays stand at the end: none waiting when all were done, else when it gave up */
    ReplayBacklog await(Duration giveUpAfter) throws SQLException, InterruptedException {
        long started = nanoTime.getAsLong();
        long total = deadLetters.replayBacklog(route, upToId).waiting();
        long lastDone = 0;
        long lastProgressAt = started;
        while (true) {
            ReplayBacklog backlog = deadLetters.replayBacklog(route, upToId);
            long now = nanoTime.getAsLong();
            long done = Math.max(0, total - backlog.waiting());
            String line = "replay: " + ProgressRate.describe(done, total, "dead letters", (now - started) / 1e9)
                    + (backlog.failed() > 0 ? ", " + backlog.failed() + " failed again" : "");
            if (done > lastDone) {
                lastDone = done;
                lastProgressAt = now;
            }
            if (backlog.waiting() == 0 || now - lastProgressAt >= giveUpAfter.toNanos()) {
                progress.finish(line);
                return backlog;
            }
            progress.update(line);
            Thread.sleep(POLL.toMillis());
        }
    }
}

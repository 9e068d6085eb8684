package io.mt5crmhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mt5crmhub.deadletter.DeadLetter;
import io.mt5crmhub.deadletter.DeadLetters;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.StoreSettings;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * {@code dead-letters replay --all --wait} follows the replays the running hub performs (played here by a thread
 * doing what the hub's replayer does to the rows), with its progress on stderr and the outcome on stdout.
 */
class DeadLetterReplayWaitTest {

    private static final int DEAD = 5;
    private static final long REFUSED_AGAIN = 3;

    private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    @AutoClose
    private final HubDatabase database = HubDatabase.open(new StoreSettings(url, "sa", "", 2, Duration.ZERO));
    private final DeadLetters deadLetters = new DeadLetters(database.dataSource());
    @AutoClose("shutdownNow")
    private final ExecutorService hub = Executors.newSingleThreadExecutor();
    private final CountDownLatch progressShown = new CountDownLatch(1);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream() {
        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            progressShown.countDown();
        }
    };

    @Test
    void waitsForTheHubsReplaysShowingDoneAgainstTotalRateAndTimeLeft() throws Exception {
        insertDeadLetters(DEAD);
        // the hub starts replaying once the command shows its first line: that line is then 0 of all
        Future<?> replaying = hub.submit(() -> {
            progressShown.await();
            replayAsTheHubDoes(DEAD);
            return null;
        });

        int exit = command("replay", "--all", "--wait");
        replaying.get();

        List<String> progress = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(progress.get(0)).isEqualTo("replay: 0 / 5 dead letters (0%), 0.0/s, time left unknown");
        assertThat(progress.get(progress.size() - 1))
                .matches("replay: 5 / 5 dead letters \\(100%\\), [0-9.]+/s, done in \\d+ s, 1 failed again");
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "5 dead letters marked for replay; the running hub replays them (or its next start)",
                "replays done; 1 failed again: dead-letters list shows why");
        assertThat(exit).as("a replay failed again").isEqualTo(1);
    }

    @Test
    void givesUpWhenNoReplayIsDoneForAWhileAndSaysHowManyWait() throws Exception {
        insertDeadLetters(2);

        int exit = command("replay", "--all", "--wait", "--give-up-after", "1s");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("replay: 0 / 2 dead letters (0%)")
                .contains("no replay was done for 1s: is the hub running and its sink reachable? 2 still wait");
        assertThat(deadLetters.requested(10)).hasSize(2);
    }

    @Test
    void waitingIsForAllOnly() throws Exception {
        insertDeadLetters(1);

        assertThat(command("replay", "1", "--wait")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--all with an optional --route and --wait");
    }

    private int command(String... args) {
        Map<String, String> settings = Map.of("hub.db.url", url, "hub.db.username", "sa", "hub.db.pool-size", "2",
                "hub.login-map.cache-seconds", "0");
        return DeadLetterCommand.run(args, key -> Optional.ofNullable(settings.get(key)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void insertDeadLetters(int count) throws Exception {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO hub_dead_letter (event_id, route_id, reason, body) VALUES (?, 'crm-rest-deals', ?, '{}')")) {
            for (int i = 1; i <= count; i++) {
                ps.setString(1, "live1:deal:" + i + ":added");
                ps.setString(2, "HTTP 422 from the CRM");
                ps.executeUpdate();
            }
        }
    }

    /** What the hub's replayer does: takes the rows asked for, one at a time; dead letter 3 is refused again. */
    private void replayAsTheHubDoes(int count) throws Exception {
        int handled = 0;
        while (handled < count) {
            List<DeadLetter> asked = deadLetters.requested(1);
            if (asked.isEmpty()) {
                Thread.sleep(20); // the command has not marked them yet
                continue;
            }
            long id = asked.get(0).id();
            if (id == REFUSED_AGAIN) {
                deadLetters.replayFailed(id, "HTTP 422 from the CRM");
            } else {
                deadLetters.replayed(id);
            }
            handled++;
        }
    }
}

package io.mt5crmhub.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.mt5crmhub.app.HubProperties;
import io.mt5crmhub.config.Durations;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.deadletter.DeadLetter;
import io.mt5crmhub.deadletter.DeadLetters;
import io.mt5crmhub.deadletter.ReplayBacklog;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.StoreSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dead-letters list|show|replay}: what failed for good, why, and asking for it again. */
@Command(name = "dead-letters", description = {"Inspect what failed for good and replay it.",
    "Reads application.properties and the environment like run. A replay is performed by the running hub"
            + " (within hub.dead-letter.replay-poll-ms) or at its next start. An H2 file database is locked by a"
            + " running hub: use the Web API then, or PostgreSQL."},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done",
            "1:an id not found or already replayed; with --wait, a replay failed again or none was done for"
                    + " --give-up-after",
            "2:wrong arguments, or the database cannot be read"})
public final class DeadLetterCommand {

    @Spec
    private CommandSpec spec;
    /** The settings to open the hub database with; absent: application.properties and the environment. */
    private final Optional<Function<String, Optional<String>>> lookup;
    private final PrintStream out;
    private final PrintStream err;

    DeadLetterCommand() {
        this(Optional.empty(), System.out, System.err);
    }

    private DeadLetterCommand(Optional<Function<String, Optional<String>>> lookup, PrintStream out, PrintStream err) {
        this.lookup = lookup;
        this.out = out;
        this.err = err;
    }

    /** The command on its own, with the given settings and output: for tests; @return the exit code */
    public static int run(String[] args, Function<String, Optional<String>> lookup, PrintStream out, PrintStream err) {
        return HubCli.configure(new CommandLine(new DeadLetterCommand(Optional.of(lookup), out, err)))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Command(name = "list", description = "the dead letters not replayed yet, newest first",
            exitCodeOnExecutionException = 2)
    int list(@Option(names = "--route", paramLabel = "ROUTE-ID", description = "only this route's")
            Optional<String> route,
            @Option(names = "--all", description = "replayed ones too") boolean all,
            @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "at most N rows"
                    + " (${DEFAULT-VALUE})") int limit) throws Exception {
        return withDeadLetters(deadLetters -> {
            List<DeadLetter> rows = deadLetters.list(route, all, limit);
            out.printf("%-8s %-16s %-24s %-20s %-36s %s%n", "id", "state", "failed at", "route", "event", "reason");
            for (DeadLetter d : rows) {
                out.printf("%-8d %-16s %-24s %-20s %-36s %s%n", d.id(), d.state(), d.failedAt(), d.routeId(),
                        d.eventId(), shorten(d.replayError() != null ? "replay: " + d.replayError() : d.reason(), 100));
            }
            out.println(rows.size() + " dead letter" + (rows.size() == 1 ? "" : "s")
                    + (all ? "" : " not replayed (--all shows every one)"));
            return 0;
        });
    }

    @Command(name = "show", description = "one dead letter: reason, replay state and the event JSON",
            exitCodeOnExecutionException = 2)
    int show(@Parameters(paramLabel = "ID", description = "the dead letter's id (first column of list)") long id)
            throws Exception {
        return withDeadLetters(deadLetters -> {
            Optional<DeadLetter> found = deadLetters.find(id);
            if (found.isEmpty()) {
                err.println("no dead letter " + id);
                return 1;
            }
            DeadLetter d = found.get();
            out.println("id:                  " + d.id());
            out.println("state:               " + d.state());
            out.println("event:               " + d.eventId());
            out.println("route:               " + d.routeId());
            out.println("failed at:           " + d.failedAt());
            out.println("reason:              " + d.reason());
            out.println("replay requested at: " + (d.replayRequestedAt() == null ? "-" : d.replayRequestedAt()));
            out.println("replayed at:         " + (d.replayedAt() == null ? "-" : d.replayedAt()));
            out.println("last replay error:   " + (d.replayError() == null ? "-" : d.replayError()));
            out.println("body:");
            out.println(d.body());
            return 0;
        });
    }

    @Command(name = "replay", description = {"mark dead letters for replay: the ones named, or --all",
        "With --wait, follows the running hub's replays (progress on stderr) and exits 1 if any failed again or"
                + " none was done for --give-up-after."}, exitCodeOnExecutionException = 2)
    int replay(@Parameters(paramLabel = "ID", arity = "0..*", description = "dead letter ids") List<Long> ids,
            @Option(names = "--all", description = "every one not replayed yet") boolean all,
            @Option(names = "--route", paramLabel = "ROUTE-ID", description = "with --all: only this route's")
            Optional<String> route,
            @Option(names = "--wait", description = "with --all: wait until the running hub has replayed them,"
                    + " showing done/total, rate and time left") boolean wait,
            @Option(names = "--give-up-after", paramLabel = "DURATION", defaultValue = "60s", description = "with"
                    + " --wait: stop waiting when no replay was done for this long (${DEFAULT-VALUE})")
            String giveUpAfter) throws Exception {
        List<Long> named = ids == null ? List.of() : ids;
        if (!all && (named.isEmpty() || route.isPresent() || wait)) {
            throw new ParameterException(spec.subcommands().get("replay"),
                    "replay takes dead letter ids, or --all with an optional --route and --wait");
        }
        Duration patience = duration(giveUpAfter);
        return withDeadLetters(deadLetters -> {
            if (all) {
                long upToId = deadLetters.lastId();
                int marked = deadLetters.requestReplayAll(route, upToId);
                out.println(marked + " dead letters marked for replay; the running hub replays them (or its next"
                        + " start)");
                return wait ? awaitReplays(deadLetters, route, upToId, patience) : 0;
            }
            List<String> missing = new ArrayList<>();
            for (long id : named) {
                if (!deadLetters.requestReplay(id)) {
                    missing.add(Long.toString(id));
                }
            }
            out.println((named.size() - missing.size()) + " dead letters marked for replay; the running hub replays"
                    + " them (or its next start)");
            if (!missing.isEmpty()) {
                err.println("not found or already replayed: " + String.join(", ", missing));
                return 1;
            }
            return 0;
        });
    }

    private int awaitReplays(DeadLetters deadLetters, Optional<String> route, long upToId, Duration patience)
            throws Exception {
        ReplayBacklog end = new ReplayWait(deadLetters, route, upToId, TerminalProgress.onStderr(err), System::nanoTime)
                .await(patience);
        if (end.waiting() > 0) {
            err.println("no replay was done for " + Durations.format(patience) + ": is the hub running and its sink"
                    + " reachable? " + end.waiting() + " still wait (the hub replays them when it can)");
            return 1;
        }
        out.println("replays done" + (end.failed() == 0 ? ", none failed"
                : "; " + end.failed() + " failed again: dead-letters list shows why"));
        return end.failed() == 0 ? 0 : 1;
    }

    private Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.subcommands().get("replay"), "--give-up-after: " + e.getMessage());
        }
    }

    private interface DeadLetterAction {
        int run(DeadLetters deadLetters) throws Exception;
    }

    /** Opens the hub database the settings name and runs {@code action} on its dead letters. */
    private int withDeadLetters(DeadLetterAction action) throws Exception {
        if (lookup.isPresent()) {
            return withDeadLetters(lookup.get(), action);
        }
        try (HubProperties properties = new HubProperties()) {
            return withDeadLetters(properties::get, action);
        }
    }

    private static int withDeadLetters(Function<String, Optional<String>> settings, DeadLetterAction action)
            throws Exception {
        try (HubDatabase database = HubDatabase.open(StoreSettings.from(Settings.of(settings)).withPoolSize(2))) {
            return action.run(new DeadLetters(database.dataSource()));
        }
    }

    private static String shorten(String text, int max) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}

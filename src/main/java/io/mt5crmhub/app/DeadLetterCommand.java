package io.mt5crmhub.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.mt5crmhub.config.Settings;
import io.mt5crmhub.deadletter.DeadLetter;
import io.mt5crmhub.deadletter.DeadLetters;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.StoreSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * {@code java -jar mt5-crm-hub.jar dead-letters list|show|replay}: what failed for good, why, and asking for it
 * again. Reads application.properties and the environment like {@code run}. A replay is performed by the
 * running hub (within {@code hub.dead-letter.replay-poll-ms}), or at its next start. An H2 file database is
 * locked by a running hub: use the API then, or PostgreSQL.
 */
final class DeadLetterCommand {

    private static final String USAGE = """
            usage: java -jar mt5-crm-hub.jar dead-letters list [--route ROUTE-ID] [--all] [--limit N]
                   java -jar mt5-crm-hub.jar dead-letters show ID
                   java -jar mt5-crm-hub.jar dead-letters replay ID [ID ...]
                   java -jar mt5-crm-hub.jar dead-letters replay --all [--route ROUTE-ID]""";

    private DeadLetterCommand() {
    }

    static int run(String[] args) {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation(HubMain.PROPERTIES);
            return run(args, key -> context.getPropertiesComponent().resolveProperty(key), System.out, System.err);
        } catch (Exception e) {
            System.err.println("mt5-crm-hub dead-letters: " + e.getMessage());
            return 2;
        }
    }

    static int run(String[] args, Function<String, Optional<String>> lookup, PrintStream out, PrintStream err)
            throws Exception {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        try (HubDatabase database = HubDatabase.open(StoreSettings.from(Settings.of(lookup)).withPoolSize(2))) {
            DeadLetters deadLetters = new DeadLetters(database.dataSource());
            List<String> rest = List.of(args).subList(1, args.length);
            return switch (args[0]) {
                case "list" -> list(deadLetters, rest, out, err);
                case "show" -> show(deadLetters, rest, out, err);
                case "replay" -> replay(deadLetters, rest, out, err);
                default -> {
                    err.println("unknown dead-letters command '" + args[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        }
    }

    private static int list(DeadLetters deadLetters, List<String> args, PrintStream out, PrintStream err)
            throws Exception {
        Optional<String> route = option(args, "--route");
        boolean all = args.contains("--all");
        int limit = Integer.parseInt(option(args, "--limit").orElse("100"));
        List<DeadLetter> rows = deadLetters.list(route, all, limit);
        out.printf("%-8s %-16s %-24s %-20s %-36s %s%n", "id", "state", "failed at", "route", "event", "reason");
        for (DeadLetter d : rows) {
            out.printf("%-8d %-16s %-24s %-20s %-36s %s%n", d.id(), d.state(), d.failedAt(), d.routeId(),
                    d.eventId(), shorten(d.replayError() != null ? "replay: " + d.replayError() : d.reason(), 100));
        }
        out.println(rows.size() + " dead letter" + (rows.size() == 1 ? "" : "s")
                + (all ? "" : " not replayed (--all shows every one)"));
        return 0;
    }

    private static int show(DeadLetters deadLetters, List<String> args, PrintStream out, PrintStream err)
            throws Exception {
        if (args.size() != 1) {
            err.println(USAGE);
            return 2;
        }
        Optional<DeadLetter> found = deadLetters.find(id(args.get(0)));
        if (found.isEmpty()) {
            err.println("no dead letter " + args.get(0));
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
    }

    private static int replay(DeadLetters deadLetters, List<String> args, PrintStream out, PrintStream err)
            throws Exception {
        if (args.contains("--all")) {
            int marked = deadLetters.requestReplayAll(option(args, "--route"));
            out.println(marked + " dead letters marked for replay; the running hub replays them (or its next start)");
            return 0;
        }
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        List<String> missing = new ArrayList<>();
        for (String arg : args) {
            if (!deadLetters.requestReplay(id(arg))) {
                missing.add(arg);
            }
        }
        out.println((args.size() - missing.size()) + " dead letters marked for replay; the running hub replays them"
                + " (or its next start)");
        if (!missing.isEmpty()) {
            err.println("not found or already replayed: " + String.join(", ", missing));
            return 1;
        }
        return 0;
    }

    private static long id(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a dead letter id is a number, got '" + text + "'");
        }
    }

    private static Optional<String> option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0) {
            return Optional.empty();
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return Optional.of(args.get(at + 1));
    }

    private static String shorten(String text, int max) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}

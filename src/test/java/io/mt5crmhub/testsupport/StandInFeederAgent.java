package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Java agent for the hub jar's own process ({@code JDK_JAVA_OPTIONS=-javaagent:...}): in that process the hub loads
 * the Manager API stand-in, so the world that feeds it must live there too. Before the hub's {@code main} it opens a
 * simulator world on its books and hands their state to the stand-in; then, given actions, a thread of its own waits
 * for the hub's Connect, trades that many at a pace, drops the stand-in's connection at the given actions for a
 * while, and writes the world's deal tickets to a report file once done. Arguments, separated by {@code ;}: books directory, actions per second,
 * actions (0: the state only, for {@code reconcile}), actions after which the connection drops (comma-separated),
 * actions each drop lasts (the world trades on meanwhile: those deals reach the hub only through its back-fill), the
 * report file.
 */
public final class StandInFeederAgent {


    private StandInFeederAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        String[] a = args.split(";", -1);
        Path books = Path.of(a[0]);
        int rate = Integer.parseInt(a[1]);
        int actions = Integer.parseInt(a[2]);
        Set<Integer> drops = a[3].isBlank() ? Set.of()
                : Arrays.stream(a[3].split(",")).map(Integer::parseInt).collect(Collectors.toSet());
        int dropFor = Integer.parseInt(a[4]);
        Path report = Path.of(a[5]);
        Mt5Stub.Control stub = Mt5Stub.control();
        stub.stub_set_credentials(Mt5Stub.MANAGER, Mt5Stub.utf16(Mt5Stub.PASSWORD));
        SimulatorFedStandIn fed = SimulatorFedStandIn.startStill(books, stub);
        if (actions == 0) {
            return;
        }
        Thread trader = new Thread(() -> trade(fed, stub, rate, actions, drops, dropFor, report), "stand-in-feeder");
        trader.setDaemon(true);
        trader.start();
    }

    private static void trade(SimulatorFedStandIn fed, Mt5Stub.Control stub, int rate, int actions, Set<Integer> drops,
            int dropFor, Path report) {
        long interval = 1_000_000_000L / rate;
        try {
            // MT5 trades once the hub is connected, so that the drops below fall in the hub's session
            while (stub.stub_is_connected() == 0) {
                Thread.sleep(20);
            }
            long next = System.nanoTime();
            for (int i = 1; i <= actions; i++) {
                fed.step();
                if (drops.contains(i)) {
                    stub.stub_drop_connection();
                } else if (drops.contains(i - dropFor)) {
                    stub.stub_restore_connection();
                }
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            List<String> tickets = fed.books().dealHistory(fed.books().clock().minus(Duration.ofDays(30)),
                    fed.books().clock().plus(Duration.ofDays(1))).stream()
                    .map(e -> Long.toString(e.deal().ticket())).toList();
            Path partial = report.resolveSibling(report.getFileName() + ".part");
            Files.write(partial, tickets);
            Files.move(partial, report, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

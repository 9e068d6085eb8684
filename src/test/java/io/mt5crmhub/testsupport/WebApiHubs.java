package io.mt5crmhub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged hub on {@code gateway=webapi} against a {@link SimulatorProcess}, and how to settle both sides. */
public final class WebApiHubs {

    private WebApiHubs() {
    }

    /** The hub's H2 store in its working directory, open to the test while the hub runs. */
    public static final String H2_URL = "jdbc:h2:file:./data/hub;AUTO_SERVER=TRUE";

    public static HubProcess hub(Path dir, int httpPort, SimulatorProcess mt5) throws Exception {
        return new HubProcess(dir, httpPort)
                .env("MT5_SERVERS", "live1")
                .env("MT5_SERVER_LIVE1_GATEWAY", "webapi")
                .env("MT5_SERVER_LIVE1_ADDRESS", mt5.address())
                .env("MT5_SERVER_LIVE1_LOGIN", "1000")
                .env("MT5_SERVER_LIVE1_PASSWORD", SimulatorProcess.MANAGER_PASSWORD)
                .env("MT5_SERVER_LIVE1_TLS_PINNED_SHA256", mt5.fingerprint())
                .env("MT5_SERVER_LIVE1_POLL_INTERVAL", "500ms")
                .env("MT5_SERVER_LIVE1_SNAPSHOT_INTERVAL", "2s")
                // the test reads the store while the hub runs
                .env("HUB_DB_URL", H2_URL);
    }

    /**
     * Stops the simulator (its books are final), restarts it idle on the same books and port, waits until the hub
     * has stored every ticket of the books, then stops the hub (exit 0). Returns the books' tickets.
     */
    public static List<Long> settle(HubProcess hub, Path hubDir, SimulatorProcess mt5, String... simulatorArgs)
            throws Exception {
        return settle(hub, hubDir, mt5, books -> true, simulatorArgs);
    }

    /** As {@link #settle(HubProcess, Path, SimulatorProcess, String...)}, also waiting for another sink. */
    public static List<Long> settle(HubProcess hub, Path hubDir, SimulatorProcess mt5, Sink alsoDelivered,
            String... simulatorArgs) throws Exception {
        return settle(hub, mt5, books -> storedTickets(hubDir).containsAll(books) && alsoDelivered.holdsAll(books),
                simulatorArgs);
    }

    /** As {@link #settle(HubProcess, Path, SimulatorProcess, String...)}, waiting for the given sinks only. */
    public static List<Long> settle(HubProcess hub, SimulatorProcess mt5, Sink delivered, String... simulatorArgs)
            throws Exception {
        mt5.stop();
        List<Long> books = mt5.bookTickets();
        List<String> args = new ArrayList<>(List.of(simulatorArgs));
        args.add("--idle");
        mt5.start(args.toArray(String[]::new));
        awaitWhileProgressing(hub, () -> delivered.holdsAll(books));
        awaitIdle(hub);
        hub.terminate();
        assertThat(hub.awaitExit(Duration.ofSeconds(30))).as(hub.output()).isZero();
        return books;
    }

    /**
     * Waits until {@code done}, for as long as the hub keeps completing exchanges: a slow machine takes longer, but
     * only a hub that stopped making progress for {@link #NO_PROGRESS} fails (at most an hour in all).
     */
    public static void awaitWhileProgressing(HubProcess hub, java.util.concurrent.Callable<Boolean> done) {
        double[] completed = {-1};
        long[] progressAt = {System.nanoTime()};
        await().atMost(Duration.ofHours(1)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (done.call()) {
                return true;
            }
            double now = 0; // exchanges of the routes that carry MT5 events to a sink (not timers, not replays)
            for (String sink : List.of("routeId=\"crm-store-", "routeId=\"rabbitmq-", "routeId=\"crm-rest-")) {
                now += hub.metricSum("camel_exchanges_succeeded_total", sink);
            }
            if (now > completed[0]) {
                completed[0] = now;
                progressAt[0] = System.nanoTime();
            } else if (System.nanoTime() - progressAt[0] > NO_PROGRESS.toNanos()) {
                throw new AssertionError("the hub completed no exchange for " + NO_PROGRESS.toSeconds()
                        + " s and has not settled" + hub.diagnosis());
            }
            return false;
        });
    }

    /**
     * Waits until no consumer holds an event (queued, in flight or back-filled) for three polls in a row. The sinks
     * can hold every ticket of the books while back-fills after a crash still re-read them (duplicates, absorbed);
     * a stop then has thousands of exchanges to drain, and with {@code AUTO_SERVER=TRUE} (which these hubs use so
     * that the test can read the store) H2's own shutdown hook closes the database under them, so the drain cannot
     * finish and the stop takes the whole shutdown timeout.
     */
    private static void awaitIdle(HubProcess hub) {
        int[] idlePolls = {0};
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            idlePolls[0] = hub.metricSum("mt5_consumer_held_events", "") == 0 ? idlePolls[0] + 1 : 0;
            return idlePolls[0] >= 3;
        });
    }

    /**
     * How long a settling hub may complete nothing before the test gives up on it. A healthy hub can be idle that
     * long by design: settling restarts MT5 (seconds on a loaded machine), the back-fill that follows retries with
     * delays doubling up to 30 s, and an exchange that failed in the fault before is read again after up to 60 s.
     */
    private static final Duration NO_PROGRESS = Duration.ofSeconds(150);

    /** Another place the deals must reach before both sides count as settled. */
    @FunctionalInterface
    public interface Sink {
        boolean holdsAll(List<Long> tickets) throws Exception;
    }

    public static List<Long> storedTickets(Path hubDir) throws SQLException {
        return storedTickets("jdbc:h2:file:" + hubDir.resolve("data/hub") + ";AUTO_SERVER=TRUE", "sa");
    }

    /** The deal tickets in the CRM store of the hub database at this JDBC URL, in order, repeats included. */
    public static List<Long> storedTickets(String url, String user) throws SQLException {
        List<Long> tickets = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ticket FROM crm_deal WHERE server = 'live1' ORDER BY ticket")) {
            while (rs.next()) {
                tickets.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            if (e.getMessage().contains("crm_deal") || e.getMessage().contains("CRM_DEAL")) {
                return tickets; // not migrated yet
            }
            throw e;
        }
        return tickets;
    }
}

package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import io.mt5crmhub.testsupport.HubProcess;
import io.mt5crmhub.testsupport.SimulatorProcess;
import io.mt5crmhub.testsupport.WebApiHubs;
import org.junit.jupiter.api.Test;

/**
 * The packaged hub with {@code gateway=webapi} against the simulator running as a separate MT5 server process
 * (HTTPS, its self-signed certificate pinned by fingerprint). The comparison is by deal ticket: the hub's
 * {@code crm_deal} against the simulator's own books, read from its H2 file after it stopped, never through the
 * gateway's parsing.
 * <p>
 * To compare a settled state, each test ends the same way: the simulator is stopped (its books are final), restarted
 * {@code --idle} on the same books so the hub can reach it, and the hub's store is awaited until it holds every
 * ticket of the books; then the hub is stopped and both sides must be equal.
 */
class WebApiHubIT {

    @Test
    void theStoreHoldsExactlyTheSimulatorsDealsIncludingThoseMadeWhileTheHubWasStopped() throws Exception {
        Path hubDir = HubProcess.prepareWorkDir("webapi-gap");
        int port = SimulatorProcess.freePort();
        try (SimulatorProcess mt5 = new SimulatorProcess(hubDir.resolve("mt5"), port).start("--rate", "20")) {
            long beforeStop;
            try (HubProcess hub = hub(hubDir, 18190, mt5).start()) {
                await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
                await().atMost(Duration.ofSeconds(60)).until(() -> hub.routeExchangesSucceeded("crm-store-deals") > 30);
                assertThat(hub.health().body()).contains("\"mt5.live1.gateway\":\"webapi\"")
                        .contains("\"mt5.live1.connected\":true");
                hub.terminate();
                assertThat(hub.awaitExit(Duration.ofSeconds(30))).as(hub.output()).isZero();
                assertThat(hub.output()).doesNotContain(SimulatorProcess.MANAGER_PASSWORD);
                beforeStop = storedTickets(hubDir).size();
            }
            // the hub is away for a minute while "MT5" keeps trading (about 20 actions a second)
            Thread.sleep(60_000);
            try (HubProcess hub = hub(hubDir, 18190, mt5).start()) {
                await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
                settleAndCompare(hub, hubDir, mt5, port);
            }
            List<Long> stored = storedTickets(hubDir);
            assertThat(stored.size() - beforeStop).as("deals made while the hub was stopped arrived").isGreaterThan(300);
        }
    }

    @Test
    void aWrongPasswordStopsStartUpWithOneLineNamingThePasswordKey() throws Exception {
        Path hubDir = HubProcess.prepareWorkDir("webapi-password");
        try (SimulatorProcess mt5 = new SimulatorProcess(hubDir.resolve("mt5"), SimulatorProcess.freePort())
                .start("--rate", "1");
             HubProcess hub = hub(hubDir, 18191, mt5).env("MT5_SERVER_LIVE1_PASSWORD", "N0t-The-Pa55word").start()) {
            Integer exit = hub.awaitExit(Duration.ofSeconds(60));

            assertThat(exit).as(hub.output()).isEqualTo(1);
            assertThat(hub.errorLines()).as(hub.output()).singleElement().asString()
                    .contains("mt5-crm-hub cannot start: mt5.server.live1.password: MT5 server " + mt5.address()
                            + " refused the login of manager 1000 (3006 Invalid account password)");
            assertThat(hub.output()).doesNotContain("N0t-The-Pa55word");
        }
    }

    @Test
    void expiredSessionsAreRenewedWithoutLosingOrDoublingDeals() throws Exception {
        Path hubDir = HubProcess.prepareWorkDir("webapi-session");
        int port = SimulatorProcess.freePort();
        try (SimulatorProcess mt5 = new SimulatorProcess(hubDir.resolve("mt5"), port)
                .start("--rate", "30", "--session-ttl", "2s");
             HubProcess hub = hub(hubDir, 18192, mt5).start()) {
            await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
            await().atMost(Duration.ofSeconds(60)).until(() -> renewals(hub) >= 5);
            assertThat(hub.output()).as("renewing a session is not an outage").doesNotContain("is away")
                    .doesNotContain("disconnected");

            settleAndCompare(hub, hubDir, mt5, port, "--session-ttl", "2s");
        }
    }

    @Test
    void aSimulatorKilledAndRestartedOnItsBooksIsPolledAgainFromTheLastPosition() throws Exception {
        Path hubDir = HubProcess.prepareWorkDir("webapi-outage");
        int port = SimulatorProcess.freePort();
        try (SimulatorProcess mt5 = new SimulatorProcess(hubDir.resolve("mt5"), port).start("--rate", "30");
             HubProcess hub = hub(hubDir, 18193, mt5).start()) {
            await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
            await().atMost(Duration.ofSeconds(60)).until(() -> hub.routeExchangesSucceeded("crm-store-deals") > 30);

            mt5.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.health() != null && hub.health().statusCode() == 503);
            assertThat(hub.health().body()).contains("MT5 server live1 is not connected")
                    .contains("cannot be reached");
            mt5.start("--rate", "30"); // the same books carry on trading
            await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
            long afterComeback = hub.routeExchangesSucceeded("crm-store-deals");
            await().atMost(Duration.ofSeconds(60)).until(() -> hub.routeExchangesSucceeded("crm-store-deals") > afterComeback + 30);

            settleAndCompare(hub, hubDir, mt5, port);
            assertThat(hub.output().lines().filter(l -> l.contains("is away")).count())
                    .as("one WARN per outage (two: the kill and the final stop)").isEqualTo(2);
        }
    }

    // --- support ------------------------------------------------------------------------------------------------

    private static HubProcess hub(Path dir, int httpPort, SimulatorProcess mt5) throws Exception {
        return WebApiHubs.hub(dir, httpPort, mt5);
    }

    /** Settles both sides ({@link WebApiHubs#settle}) and compares them exactly. */
    private static void settleAndCompare(HubProcess hub, Path hubDir, SimulatorProcess mt5, int port,
            String... simulatorArgs) throws Exception {
        List<Long> books = WebApiHubs.settle(hub, hubDir, mt5, simulatorArgs);
        List<Long> stored = storedTickets(hubDir);
        assertThat(stored).as("the hub's crm_deal holds exactly the simulator's deals").doesNotHaveDuplicates()
                .isEqualTo(books);
        assertThat(books).hasSizeGreaterThan(100);
    }

    private static long renewals(HubProcess hub) {
        return hub.output().lines().filter(l -> l.contains("the session expired, logging in again")).count();
    }

    private static List<Long> storedTickets(Path hubDir) throws SQLException {
        return WebApiHubs.storedTickets(hubDir);
    }
}

package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.mt5crmhub.testsupport.ClusterRun;
import io.mt5crmhub.testsupport.ClusterRun.Lease;
import io.mt5crmhub.testsupport.HubProcess;
import org.junit.jupiter.api.Test;

/**
 * The failover suite: three packaged hubs sharing two MT5 servers (simulator processes trading 200 actions a second
 * each) through a real ZooKeeper, on one PostgreSQL and RabbitMQ. Each scenario takes an owner away mid-stream in
 * one way, lets everything settle, prints one line (produced, stored, published, duplicates by message_id, lost,
 * doubled, reconcile) and fails on any loss or double apply ({@link ClusterRun}).
 */
class FailoverSuiteIT {

    private static final int RATE = 200;
    private static final List<String> HUBS = List.of("hub-1", "hub-2", "hub-3");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void anOwnerKilledIsReplacedWithinFifteenSecondsAndNothingIsLostOrDoubled() throws Exception {
        try (ClusterRun run = ClusterRun.start("kill", RATE)) {
            run.startOwningHubs(HUBS.toArray(String[]::new));
            String server = run.servers().get(0);
            Lease before = run.lease(server);

            long t0 = System.nanoTime();
            run.hub(before.owner()).close(); // SIGKILL
            Lease after = run.awaitTakenOver(server, before, Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("failover suite | kill -9 of %s, owner of %s: %s took it with epoch %d after %.1f s%n",
                    before.owner(), server, after.owner(), after.epoch(), seconds);
            assertThat(seconds).as("take-over after a kill -9").isLessThanOrEqualTo(15);
            run.settleAndReport("kill -9 of the owner of " + server + " (taken over in " + Math.round(seconds) + " s)");
        }
    }

    @Test
    void anOwnerCutOffFromZooKeeperStopsWritingAndTheNewOwnerCarriesOn() throws Exception {
        try (ClusterRun run = ClusterRun.start("zookeeper-cut", RATE).zookeeperThroughProxy("hub-1")) {
            HubProcess cut = run.startHub("hub-1");
            run.awaitOwnedAndFlowing(); // hub-1 alone: it owns both servers
            run.startHub("hub-2");
            run.startHub("hub-3");
            String server = run.servers().stream().filter(s -> isOwner(run, s, "hub-1")).findFirst().orElseThrow();
            Lease before = run.lease(server);

            run.zookeeperLink("hub-1").freeze(); // hub-1 still reaches MT5, PostgreSQL and RabbitMQ
            Lease after = run.awaitTakenOver(server, before, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> cut.metricSum("hub_server_owned", "server=\"" + server
                    + "\"") == 0);
            double refused = cut.metricSum("hub_server_fenced_writes_total", "server=\"" + server + "\"");
            String health = cut.health().body();
            System.out.printf("failover suite | %s cut off from ZooKeeper: %s took %s with epoch %d; writes of %s"
                    + " hub-1 tried after it and the fence refused: %.0f%n", "hub-1", after.owner(), server,
                    after.epoch(), server, refused);
            assertThat(health).as("health of the instance cut off").contains("paused");
            run.zookeeperLink("hub-1").restore();
            run.settleAndReport("owner cut off from ZooKeeper (" + Math.round(refused) + " writes refused by the fence)");
        }
    }

    /**
     * A zombie: the owner frozen (SIGSTOP, as a long GC pause or a stalled VM) past its ZooKeeper session, another
     * instance takes its server, then it wakes (SIGCONT) with work in flight and writes before it learns it lost
     * the election. The fence refuses those writes; nothing is lost or applied twice.
     */
    @Test
    void anOwnerFrozenPastItsSessionIsFencedWhenItWakes() throws Exception {
        try (ClusterRun run = ClusterRun.start("frozen", RATE)) {
            run.startOwningHubs(HUBS.toArray(String[]::new));
            String server = run.servers().get(0);
            Lease before = run.lease(server);
            HubProcess frozen = run.hub(before.owner());

            long t0 = System.nanoTime();
            signal(frozen, "STOP");
            Lease after;
            double seconds;
            try {
                after = run.awaitTakenOver(server, before, Duration.ofSeconds(30));
                seconds = (System.nanoTime() - t0) / 1e9;
                Thread.sleep(2000); // the new owner reads and writes a while before the frozen one wakes
            } finally {
                signal(frozen, "CONT");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> frozen.metricSum("hub_server_owned", "server=\""
                    + server + "\"") == 0);
            double refused = frozen.metricSum("hub_server_fenced_writes_total", "server=\"" + server + "\"");
            System.out.printf("failover suite | %s frozen past its session: %s took %s with epoch %d after %.1f s;"
                    + " writes of %s %s tried when it woke and the fence refused: %.0f%n", before.owner(),
                    after.owner(), server, after.epoch(), seconds, server, before.owner(), refused);
            Lease now = run.lease(server);
            if (now.owner().equals(before.owner())) {
                assertThat(now.epoch()).as("the woken instance owns the server again only by a new claim")
                        .isGreaterThan(after.epoch());
            }
            run.settleAndReport("owner frozen past its session (" + Math.round(refused) + " writes refused by the"
                    + " fence when it woke)");
        }
    }

    @Test
    void depositsPostedTwentyTimesToEveryInstanceDuringAFailoverAreBookedOnceEach() throws Exception {
        try (ClusterRun run = ClusterRun.start("deposits", RATE)) {
            run.startOwningHubs(HUBS.toArray(String[]::new));
            String server = run.servers().get(0);
            Lease before = run.lease(server);
            List<String> deposits = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                deposits.add("FO-" + server + "-" + i);
            }

            ExecutorService posters = Executors.newFixedThreadPool(12);
            AtomicInteger accepted = new AtomicInteger();
            List<Future<?>> posts = new ArrayList<>();
            try {
                for (int copy = 0; copy < 20; copy++) {
                    for (int i = 0; i < deposits.size(); i++) {
                        String target = HUBS.get((copy + i) % HUBS.size());
                        String body = "{\"crmTxnId\":\"" + deposits.get(i) + "\",\"server\":\"" + server
                                + "\",\"login\":" + (50001 + i) + ",\"type\":\"DEPOSIT\",\"amount\":\"" + (10 + i)
                                + ".25\"}";
                        posts.add(posters.submit(() -> {
                            if (post(run.baseUrl(target), body) / 100 == 2) {
                                accepted.incrementAndGet();
                            }
                        }));
                    }
                    if (copy == 5) {
                        run.hub(before.owner()).close(); // SIGKILL of the server's owner while copies arrive
                    }
                }
                for (Future<?> post : posts) {
                    post.get(60, TimeUnit.SECONDS);
                }
            } finally {
                posters.shutdownNow();
            }
            Lease after = run.awaitTakenOver(server, before, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(90)).until(() -> run.count("SELECT COUNT(*) FROM hub_balance_operation"
                    + " WHERE server = ? AND state = 'CONFIRMED'", server) == deposits.size());
            run.settleAndReport("10 deposits x 20 copies to 3 instances during a failover (" + accepted.get()
                    + " of 200 posts accepted; " + after.owner() + " took " + server + ")");
            run.mt5(server).stop();
            for (String id : deposits) {
                assertThat(run.mt5(server).dealsWithComment("crm:" + id)).as("MT5 deals booked for %s", id)
                        .isEqualTo(1);
            }
            System.out.println("failover suite | deposits: one MT5 deal per crmTxnId, all 10 CONFIRMED");
        }
    }

    @Test
    void aRollingRestartOfEveryInstanceLosesNothing() throws Exception {
        try (ClusterRun run = ClusterRun.start("rolling", RATE)) {
            run.startOwningHubs(HUBS.toArray(String[]::new));
            for (String id : HUBS) {
                HubProcess hub = run.hub(id);
                hub.terminate();
                assertThat(hub.awaitExit(Duration.ofSeconds(40))).as("%s on SIGTERM", id).isZero();
                run.startHub(id);
                run.awaitOwnedAndFlowing();
            }
            run.settleAndReport("rolling restart of the 3 instances");
        }
    }

    /** kill -STOP or -CONT of the hub's JVM. */
    private static void signal(HubProcess hub, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(hub.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, hub.pid()).isZero();
    }

    private static boolean isOwner(ClusterRun run, String server, String id) {
        try {
            Lease lease = run.lease(server);
            return lease != null && lease.owner().equals(id);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status of a POST of a balance request, or 0 when the instance did not answer (killed). */
    private static int post(String base, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/balance-operations"))
                    .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + ClusterRun.API_KEY)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}

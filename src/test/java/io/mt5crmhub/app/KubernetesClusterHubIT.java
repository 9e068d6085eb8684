package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mt5crmhub.component.ClusterOwnership;
import io.mt5crmhub.component.Mt5Component;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.HubProcess;
import io.mt5crmhub.testsupport.KubernetesTestServer;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.SimulatorProcess;
import io.mt5crmhub.testsupport.StoreQueries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Hubs as shipped with {@code hub.cluster.type=kubernetes} (Leases on a Kubernetes API server, the test playing the
 * kubelet) sharing two MT5 servers on one PostgreSQL: the first pod takes both, a second pod takes its share from
 * Camel's rebalancing, a graceful stop hands the Leases over at once, a pod Kubernetes deletes (its container died)
 * loses its server to a live one even while its hub still runs. Every change of hands raises the server's epoch, no
 * server is ever owned by two hubs at once, and the store ends with each deal once.
 */
class KubernetesClusterHubIT {

    private static final int DEALS = 30;
    private static final List<String> SERVERS = List.of("ka", "kb");

    @TempDir
    Path dir;

    @Test
    void podsShareTheServersRebalanceAndTakeOverWithoutEverTwoOwners() throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String server : SERVERS) {
            List<Mt5Event> events = new ArrayList<>();
            for (int i = 1; i <= DEALS; i++) {
                events.add(EventSamples.deposit(server, (server.equals("ka") ? 3_000_000 : 4_000_000) + i,
                        60001 + i % 4, "10.00", "d" + i));
            }
            Path file = dir.resolve(server + ".jsonl");
            EventSamples.writeJsonl(file, events.stream().map(EventSamples::json).toList());
            files.put(server, file);
        }
        try (KubernetesTestServer kubernetes = new KubernetesTestServer();
                PostgresTestDatabase postgres = new PostgresTestDatabase()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(postgres.url());
            ds.setUser(PostgresTestDatabase.USER);
            StoreQueries store = new StoreQueries(ds);
            Map<String, EmbeddedHub> hubs = new java.util.concurrent.ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> doubleOwners = new ConcurrentLinkedQueue<>();
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    for (String server : SERVERS) {
                        List<String> owners = hubs.entrySet().stream().filter(e -> owns(e.getValue(), server))
                                .map(Map.Entry::getKey).toList();
                        if (owners.size() > 1) {
                            doubleOwners.add(server + " owned by " + owners);
                        }
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "double-owner-watch");
            try {
                kubernetes.readyPod("hub-a");
                hubs.put("hub-a", hub("hub-a", files, kubernetes, postgres).start());
                watcher.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> ownedBy(hubs, "hub-a").size() == 2
                        && store.count("SELECT COUNT(*) FROM crm_deal") == 2L * DEALS);
                assertThat(store.rows("SELECT server_id, owner, epoch FROM hub_server_lease ORDER BY server_id"))
                        .containsExactly(List.of("ka", "hub-a", 1L), List.of("kb", "hub-a", 1L));

                kubernetes.readyPod("hub-b");
                long t0 = System.nanoTime();
                hubs.put("hub-b", hub("hub-b", files, kubernetes, postgres).start());
                await().atMost(Duration.ofSeconds(60)).until(() -> ownedBy(hubs, "hub-b").size() == 1
                        && ownedBy(hubs, "hub-a").size() == 1);
                System.out.printf("kubernetes: a second pod owned its share %.1f s after its start%n", seconds(t0));
                String moved = ownedBy(hubs, "hub-b").get(0);
                assertThat(store.rows("SELECT owner, epoch FROM hub_server_lease WHERE server_id = '" + moved + "'"))
                        .containsExactly(List.of("hub-b", 2L));

                t0 = System.nanoTime();
                hubs.get("hub-b").stop();
                hubs.remove("hub-b");
                kubernetes.deletePod("hub-b");
                await().atMost(Duration.ofSeconds(30)).until(() -> ownedBy(hubs, "hub-a").size() == 2);
                System.out.printf("kubernetes: a gracefully stopped pod's server owned again %.1f s later%n",
                        seconds(t0));
                assertThat(store.rows("SELECT owner, epoch FROM hub_server_lease WHERE server_id = '" + moved + "'"))
                        .containsExactly(List.of("hub-a", 3L));

                kubernetes.readyPod("hub-c");
                hubs.put("hub-c", hub("hub-c", files, kubernetes, postgres).start());
                await().atMost(Duration.ofSeconds(60)).until(() -> ownedBy(hubs, "hub-c").size() == 1);
                String cServer = ownedBy(hubs, "hub-c").get(0);
                long cEpoch = (Long) store.rows("SELECT epoch FROM hub_server_lease WHERE server_id = '" + cServer + "'")
                        .get(0).get(0);

                t0 = System.nanoTime();
                kubernetes.deletePod("hub-c"); // its hub still runs, still reaching MT5 and PostgreSQL
                await().atMost(Duration.ofSeconds(30)).until(() -> ownedBy(hubs, "hub-a").size() == 2);
                System.out.printf("kubernetes: a deleted pod's server owned by a live pod %.1f s later%n", seconds(t0));
                assertThat(ownedBy(hubs, "hub-c")).as("the deleted pod's hub gave its server up").isEmpty();
                assertThat(store.rows("SELECT owner, epoch FROM hub_server_lease WHERE server_id = '" + cServer + "'"))
                        .containsExactly(List.of("hub-a", cEpoch + 1));
                for (String server : SERVERS) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> hubs.get("hub-a").context()
                            .getComponent("mt5", Mt5Component.class).connections().get(server).activity()
                            .receivedTotal() >= DEALS);
                }
            } finally {
                watching.set(false);
                watcher.join();
                hubs.values().forEach(EmbeddedHub::stop);
            }
            assertThat(doubleOwners).as("a server owned by two hubs at once").isEmpty();
            assertThat(store.count("SELECT COUNT(*) FROM crm_deal")).isEqualTo(2L * DEALS);
            assertThat(store.count("SELECT COUNT(*) FROM hub_dead_letter")).isZero();
        }
    }

    /**
     * On Camel 4.17 one refused renewal ends a leader's controller for good, while the Lease still names the pod: no
     * other pod may take the server, and this one no longer leads. The hub notices the leaderless election and
     * enters it again; the server is owned again with a new epoch.
     */
    @Test
    void aLeaderWhoseRenewalIsRefusedLeadsAgain() throws Exception {
        Path file = dir.resolve("ka.jsonl");
        EventSamples.writeJsonl(file, List.of(EventSamples.json(EventSamples.deposit("ka", 3_100_001, 60001, "1.00",
                "d1"))));
        try (KubernetesTestServer kubernetes = new KubernetesTestServer();
                PostgresTestDatabase postgres = new PostgresTestDatabase()) {
            kubernetes.readyPod("hub-a");
            try (EmbeddedHub hub = hub("hub-a", Map.of("ka", file), kubernetes, postgres).start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> owns(hub, "ka"));

                kubernetes.conflictOnNextUpdateOf("mt5-crm-hub-mt5-ka");
                await().atMost(Duration.ofSeconds(30)).until(() -> !owns(hub, "ka"));
                long t0 = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).until(() -> owns(hub, "ka"));
                System.out.printf("kubernetes: a leader whose renewal was refused owned its server again %.1f s after"
                        + " it gave it up%n", seconds(t0));
                ClusterOwnership.ServerState state = hub.context().getComponent("mt5", Mt5Component.class).ownership()
                        .orElseThrow().stateOf("ka").orElseThrow();
                assertThat(state.epoch()).isEqualTo(2);
            }
        }
    }

    /**
     * The packaged jar as a pod runs it: a node id naming no pod stops start-up in one line naming the key (exit 1);
     * with its pod's name it takes its server's Lease and health shows the ownership; SIGTERM hands the Lease over.
     */
    @Test
    void thePackagedJarTakesItsServersLeaseAndHandsItOverAtStop() throws Exception {
        try (KubernetesTestServer kubernetes = new KubernetesTestServer();
                PostgresTestDatabase postgres = new PostgresTestDatabase()) {
            kubernetes.readyPod("hub-jar-0");
            try (HubProcess stray = jar("hub-jar-9", kubernetes, postgres).start()) {
                assertThat(stray.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
                assertThat(stray.output()).contains("hub.cluster.node-id='hub-jar-9' names no pod in namespace"
                        + " 'trading'");
            }
            try (HubProcess hub = jar("hub-jar-0", kubernetes, postgres).start()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    var health = hub.health();
                    return health != null && health.body().contains("\"mt5.sim.ownership\":\"owner\"");
                });
                assertThat(kubernetes.lease("mt5-crm-hub-mt5-sim").getSpec().getHolderIdentity()).isEqualTo("hub-jar-0");

                hub.terminate();
                assertThat(hub.awaitExit(Duration.ofSeconds(60))).isZero();
                assertThat(kubernetes.lease("mt5-crm-hub-mt5-sim").getSpec().getHolderIdentity())
                        .as("handed over at stop").isNull();
            }
        }
    }

    private static HubProcess jar(String pod, KubernetesTestServer kubernetes, PostgresTestDatabase postgres) {
        return new HubProcess(HubProcess.prepareWorkDir("kubernetes-" + pod), SimulatorProcess.freePort())
                .heap("384m")
                .env("HUB_DB_URL", postgres.url()).env("HUB_DB_USERNAME", PostgresTestDatabase.USER)
                .env("HUB_CLUSTER_TYPE", "kubernetes").env("HUB_CLUSTER_NODE_ID", pod)
                .env("HUB_CLUSTER_KUBERNETES_MASTER_URL", kubernetes.url())
                .env("HUB_CLUSTER_KUBERNETES_NAMESPACE", KubernetesTestServer.NAMESPACE)
                .env("HUB_CLUSTER_KUBERNETES_LABELS", "app.kubernetes.io/name=mt5-crm-hub");
    }

    private EmbeddedHub hub(String pod, Map<String, Path> files, KubernetesTestServer kubernetes,
            PostgresTestDatabase postgres) {
        EmbeddedHub hub = new EmbeddedHub().with("mt5.servers", String.join(",", files.keySet()));
        files.forEach((server, file) -> hub.with("mt5.server." + server + ".gateway", "replay")
                .with("mt5.server." + server + ".file", file.toString()));
        return hub.with("hub.db.url", postgres.url())
                .with("hub.db.username", PostgresTestDatabase.USER)
                .with("hub.balance.enabled", "false")
                .with("hub.mt5.overflow-directory", dir.resolve("overflow-" + pod).toString())
                .with("hub.cluster.type", "kubernetes")
                .with("hub.cluster.node-id", pod)
                .with("hub.cluster.kubernetes.master-url", kubernetes.url())
                .with("hub.cluster.kubernetes.namespace", KubernetesTestServer.NAMESPACE)
                .with("hub.cluster.kubernetes.labels", "app.kubernetes.io/name=mt5-crm-hub")
                .with("hub.cluster.kubernetes.lease-duration", "3s")
                .with("hub.cluster.kubernetes.renew-deadline", "2s")
                .with("hub.cluster.kubernetes.retry-period", "500ms");
    }

    private static List<String> ownedBy(Map<String, EmbeddedHub> hubs, String pod) {
        EmbeddedHub hub = hubs.get(pod);
        return SERVERS.stream().filter(server -> owns(hub, server)).toList();
    }

    private static boolean owns(EmbeddedHub hub, String server) {
        return hub.context().getComponent("mt5", Mt5Component.class).ownership()
                .flatMap(ownership -> ownership.stateOf(server)).map(ClusterOwnership.ServerState::state)
                .filter("owner"::equals).isPresent();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}

package io.mt5crmhub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.rabbitmq.client.GetResponse;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;

/**
 * One scenario of the failover suite: an in-process ZooKeeper server, two simulator processes as MT5 servers trading
 * on their own, and up to three packaged hubs sharing them ({@code hub.cluster.type=zookeeper}) on one PostgreSQL
 * schema and RabbitMQ. {@link #settleAndReport} stops the trading, lets the hubs catch up, prints one summary line
 * and fails on any loss or double apply.
 */
public final class ClusterRun implements AutoCloseable {

    public static final String API_KEY = "failover-key-7e21";
    private static final Duration NO_PROGRESS = Duration.ofSeconds(150);

    private final String name;
    private final ZooKeeperTestServer zookeeper = new ZooKeeperTestServer();
    private final PostgresTestDatabase postgres = new PostgresTestDatabase();
    private final RabbitTestBroker broker = new RabbitTestBroker();
    private final Map<String, SimulatorProcess> mt5 = new LinkedHashMap<>();
    private final Map<String, HubProcess> hubs = new LinkedHashMap<>();
    private final Map<String, Path> dirs = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, TcpProxy> zookeeperLinks = new HashMap<>();
    private final Map<String, Integer> copies = new HashMap<>();
    private final Map<String, Set<Long>> published = new HashMap<>();
    private final String queue;

    private ClusterRun(String name, int rate) throws Exception {
        this.name = name;
        for (String prefix : List.of("fa", "fb")) {
            String server = RabbitTestBroker.uniqueServerId(prefix);
            SimulatorProcess simulator = new SimulatorProcess(HubProcess.prepareWorkDir("failover-" + name + "-" + server)
                    .resolve("mt5"), SimulatorProcess.freePort());
            simulator.start("--rate", Integer.toString(rate));
            mt5.put(server, simulator);
            published.put(server, new TreeSet<>());
        }
        this.queue = broker.queueFor("*.deal.#");
    }

    /** Two MT5 servers trading at {@code rate} actions a second each. */
    public static ClusterRun start(String name, int rate) throws Exception {
        return new ClusterRun(name, rate);
    }

    public List<String> servers() {
        return List.copyOf(mt5.keySet());
    }

    /** Hub {@code id} talks to ZooKeeper through a proxy the test can cut (call before {@link #startHub}). */
    public ClusterRun zookeeperThroughProxy(String id) {
        zookeeperLinks.put(id, new TcpProxy(zookeeper.port()));
        return this;
    }

    public TcpProxy zookeeperLink(String id) {
        return zookeeperLinks.get(id);
    }

    /** Starts hub {@code id} (a working directory and port of its own, kept across restarts); it answers health. */
    public HubProcess startHub(String id) throws Exception {
        Path dir = dirs.computeIfAbsent(id, i -> HubProcess.prepareWorkDir("failover-" + name + "-" + i));
        int port = ports.computeIfAbsent(id, i -> SimulatorProcess.freePort());
        HubProcess hub = new HubProcess(dir, port).heap("384m")
                .env("MT5_SERVERS", String.join(",", mt5.keySet()))
                .env("HUB_DB_URL", postgres.url()).env("HUB_DB_USERNAME", PostgresTestDatabase.USER)
                .env("HUB_RABBITMQ_URI", RabbitTestBroker.URI)
                .env("HUB_API_KEYS", API_KEY)
                .env("HUB_CLUSTER_TYPE", "zookeeper").env("HUB_CLUSTER_NODE_ID", id)
                .env("HUB_CLUSTER_ZOOKEEPER_NODES", zookeeperLinks.containsKey(id) ? zookeeperLinks.get(id).address()
                        : zookeeper.connectString())
                .env("HUB_CLUSTER_ZOOKEEPER_SESSION_TIMEOUT", "4s");
        for (Map.Entry<String, SimulatorProcess> server : mt5.entrySet()) {
            String key = "MT5_SERVER_" + server.getKey().toUpperCase(Locale.ROOT) + "_";
            hub.env(key + "GATEWAY", "webapi").env(key + "ADDRESS", server.getValue().address())
                    .env(key + "LOGIN", "1000").env(key + "PASSWORD", SimulatorProcess.MANAGER_PASSWORD)
                    .env(key + "TLS_PINNED_SHA256", server.getValue().fingerprint())
                    .env(key + "POLL_INTERVAL", "500ms").env(key + "SNAPSHOT_INTERVAL", "2s");
        }
        hub.start();
        hubs.put(id, hub);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(hub::isHealthUp);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("hub " + id + " did not start:\n" + hub.output(), e);
        }
        return hub;
    }

    /** Starts hubs {@code ids} one after the other and waits until every server is owned and flowing. */
    public void startOwningHubs(String... ids) throws Exception {
        for (String id : ids) {
            startHub(id);
        }
        awaitOwnedAndFlowing();
    }

    public HubProcess hub(String id) {
        return hubs.get(id);
    }

    public String baseUrl(String id) {
        return "http://127.0.0.1:" + ports.get(id);
    }

    /** The server's lease as stored: owner and epoch, or null before the first claim. */
    public Lease lease(String server) throws SQLException {
        try (Connection c = postgres(); PreparedStatement ps = c.prepareStatement(
                "SELECT owner, epoch FROM hub_server_lease WHERE server_id = ?")) {
            ps.setString(1, server);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Lease(rs.getString(1), rs.getLong(2)) : null;
            }
        }
    }

    /** A server's owner and epoch in {@code hub_server_lease}. */
    public record Lease(String owner, long epoch) {
    }

    /** Waits until every server has an owner that is running and has stored deals of it. */
    public void awaitOwnedAndFlowing() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (String server : mt5.keySet()) {
                Lease lease = lease(server);
                if (lease == null || !hubs.containsKey(lease.owner()) || !hubs.get(lease.owner()).isAlive()
                        || storedTickets(server).isEmpty()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Waits until {@code server} is owned by a running hub other than {@code former}, with a higher epoch. */
    public Lease awaitTakenOver(String server, Lease former, Duration within) {
        Lease[] taken = new Lease[1];
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            Lease now = lease(server);
            if (now != null && now.epoch() > former.epoch() && !now.owner().equals(former.owner())
                    && hubs.get(now.owner()).isAlive()) {
                taken[0] = now;
                return true;
            }
            return false;
        });
        return taken[0];
    }

    /**
     * Stops the trading (the simulators' books are final; they restart idle on the same books), waits while the hubs
     * make progress until the store and the queue hold every deal, stops the hubs (SIGTERM), runs {@code reconcile},
     * prints the scenario's line and fails on any loss, double apply or reconcile difference.
     */
    public void settleAndReport(String scenario) throws Exception {
        Map<String, List<Long>> books = new LinkedHashMap<>();
        for (Map.Entry<String, SimulatorProcess> server : mt5.entrySet()) {
            server.getValue().stop();
            books.put(server.getKey(), server.getValue().bookTickets());
            server.getValue().start("--idle");
        }
        awaitWhileProgressing(() -> {
            tally(broker.drain(queue));
            for (Map.Entry<String, List<Long>> server : books.entrySet()) {
                if (!storedTickets(server.getKey()).containsAll(server.getValue())
                        || !published.get(server.getKey()).containsAll(server.getValue())) {
                    return false;
                }
            }
            return true;
        });
        HubProcess any = hubs.values().stream().filter(HubProcess::isAlive).findFirst().orElseThrow();
        Map<String, HubProcess> running = new LinkedHashMap<>();
        hubs.forEach((id, hub) -> {
            if (hub.isAlive()) {
                running.put(id, hub);
                hub.terminate();
            }
        });
        for (Map.Entry<String, HubProcess> hub : running.entrySet()) {
            assertThat(hub.getValue().awaitExit(Duration.ofSeconds(40))).as("hub %s on SIGTERM", hub.getKey())
                    .isZero();
        }
        HubProcess.CommandRun reconcile = any.env("HUB_BALANCE_RECONCILE_SETTLE_SECONDS", "0").command("reconcile");
        tally(broker.drain(queue));

        int produced = 0;
        int stored = 0;
        int publishedCount = 0;
        Set<String> lost = new TreeSet<>();
        int doubled = 0;
        for (Map.Entry<String, List<Long>> server : books.entrySet()) {
            List<Long> inStore = storedTickets(server.getKey());
            produced += server.getValue().size();
            stored += inStore.size();
            publishedCount += published.get(server.getKey()).size();
            doubled += inStore.size() - new TreeSet<>(inStore).size();
            for (Long ticket : server.getValue()) {
                if (!inStore.contains(ticket) || !published.get(server.getKey()).contains(ticket)) {
                    lost.add(server.getKey() + ":" + ticket);
                }
            }
        }
        int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
        System.out.println("failover suite | " + scenario + " | produced by MT5 " + produced + " deals on "
                + books.size() + " servers | in the store " + stored + " | published " + publishedCount
                + ", duplicates absorbed by message_id " + duplicates + " | lost " + lost.size() + " | doubled "
                + doubled + " | reconcile exit " + reconcile.exitCode());

        assertThat(reconcile.exitCode()).as("reconcile after %s:%n%s", scenario, reconcile.output()).isZero();
        assertThat(lost).as("deals lost from the store or the queue").isEmpty();
        assertThat(doubled).as("deals applied twice to the store").isZero();
        for (Map.Entry<String, List<Long>> server : books.entrySet()) {
            assertThat(published.get(server.getKey())).as("no deal the simulator did not make")
                    .isEqualTo(new TreeSet<>(server.getValue()));
        }
    }

    /** Waits until {@code done}, for as long as some hub keeps completing exchanges. */
    private void awaitWhileProgressing(java.util.concurrent.Callable<Boolean> done) {
        double[] completed = {-1};
        long[] progressAt = {System.nanoTime()};
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (done.call()) {
                return true;
            }
            double now = 0;
            for (HubProcess hub : hubs.values()) {
                if (hub.isAlive()) {
                    now += hub.metricSum("camel_exchanges_succeeded_total", "routeId=\"crm-store-")
                            + hub.metricSum("camel_exchanges_succeeded_total", "routeId=\"rabbitmq-");
                }
            }
            if (now > completed[0]) {
                completed[0] = now;
                progressAt[0] = System.nanoTime();
            } else if (System.nanoTime() - progressAt[0] > NO_PROGRESS.toNanos()) {
                throw new AssertionError("the hubs completed no exchange for " + NO_PROGRESS.toSeconds()
                        + " s and have not settled");
            }
            return false;
        });
    }

    /** The deal tickets of {@code server} in the CRM store, in order, repeats included. */
    public List<Long> storedTickets(String server) throws SQLException {
        List<Long> tickets = new ArrayList<>();
        try (Connection c = postgres(); PreparedStatement ps = c.prepareStatement(
                "SELECT ticket FROM crm_deal WHERE server = ? ORDER BY ticket")) {
            ps.setString(1, server);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tickets.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            if (e.getMessage().contains("crm_deal")) {
                return tickets; // not migrated yet
            }
            throw e;
        }
        return tickets;
    }

    /** A query on the hub database. */
    public long count(String sql, Object... args) throws SQLException {
        try (Connection c = postgres(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The simulator of {@code server} (stopped, its books can be read). */
    public SimulatorProcess mt5(String server) {
        return mt5.get(server);
    }

    private Connection postgres() throws SQLException {
        return DriverManager.getConnection(postgres.url(), PostgresTestDatabase.USER, "");
    }

    private void tally(List<GetResponse> messages) {
        for (GetResponse message : messages) {
            Mt5Event event = EventJson.read(message.getBody());
            assertThat(message.getProps().getMessageId()).isEqualTo(event.eventId());
            copies.merge(event.eventId(), 1, Integer::sum);
            if (EventType.DEAL_ADDED.equals(event.type()) && published.containsKey(event.server())) {
                published.get(event.server()).add(event.deal().ticket());
            }
        }
    }

    @Override
    public void close() throws Exception {
        hubs.values().forEach(HubProcess::close);
        mt5.values().forEach(SimulatorProcess::close);
        for (TcpProxy link : zookeeperLinks.values()) {
            link.close();
        }
        broker.close();
        postgres.close();
        zookeeper.close();
    }
}

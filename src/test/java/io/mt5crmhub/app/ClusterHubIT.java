package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mt5crmhub.component.ClusterOwnership;
import io.mt5crmhub.component.Mt5Component;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.StoreQueries;
import io.mt5crmhub.testsupport.ZooKeeperTestServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two hubs as shipped (hub.cluster.type=zookeeper) on one PostgreSQL and a real ZooKeeper, both configured with the
 * same MT5 server: one reads it, the lease in the database names it with epoch 1; when it stops, the other takes the
 * server over with epoch 2 and the store holds the same rows (the second reading changed nothing).
 */
class ClusterHubIT {

    private static final int DEALS = 40;

    @TempDir
    Path dir;

    @Test
    void oneOfTwoHubsReadsTheServerAndTheOtherTakesItOverWhenItStops() throws Exception {
        Path file = dir.resolve("rp.jsonl");
        List<Mt5Event> events = new ArrayList<>();
        for (int i = 1; i <= DEALS; i++) {
            events.add(EventSamples.deposit("rp", 2_000_000 + i, 50001 + i % 4, "10.00", "d" + i));
        }
        EventSamples.writeJsonl(file, events.stream().map(EventSamples::json).toList());
        try (ZooKeeperTestServer zookeeper = new ZooKeeperTestServer();
                PostgresTestDatabase postgres = new PostgresTestDatabase()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(postgres.url());
            ds.setUser(PostgresTestDatabase.USER);
            StoreQueries store = new StoreQueries(ds);
            try (EmbeddedHub a = hub("hub-a", file, zookeeper, postgres).start();
                    EmbeddedHub b = hub("hub-b", file, zookeeper, postgres).start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> store.count("SELECT COUNT(*) FROM crm_deal") == DEALS
                        && store.count("SELECT COUNT(*) FROM hub_server_lease") == 1);
                List<Object> lease = store.rows("SELECT owner, epoch FROM hub_server_lease WHERE server_id = 'rp'").get(0);
                assertThat(lease.get(1)).isEqualTo(1L);
                EmbeddedHub owner = "hub-a".equals(lease.get(0)) ? a : b;
                EmbeddedHub other = owner == a ? b : a;
                String otherId = owner == a ? "hub-b" : "hub-a";
                assertThat(stateOf(owner).state()).isEqualTo("owner");
                assertThat(stateOf(other).state()).isEqualTo("standby");
                assertThat(connected(other)).as("the standby reads nothing").isFalse();
                HealthCheck.Result standby = health(other, "crm-store-deals");
                assertThat(standby.getState()).as("a stand-by is healthy").isEqualTo(HealthCheck.State.UP);
                assertThat(standby.getDetails()).containsEntry("mt5.rp.ownership", "standby")
                        .containsEntry("mt5.rp.owner", lease.get(0)).containsEntry("mt5.rp.epoch", 0L);
                assertThat(health(owner, "crm-store-deals").getDetails()).containsEntry("mt5.rp.ownership", "owner")
                        .containsEntry("mt5.rp.epoch", 1L);
                assertThat(gauge(owner, "hub.server.owned")).isEqualTo(1.0);
                assertThat(gauge(other, "hub.server.owned")).isEqualTo(0.0);
                assertThat(gauge(owner, "hub.server.epoch")).isEqualTo(1.0);
                List<List<Object>> before = store.rows("SELECT ticket, login, profit, deleted FROM crm_deal ORDER BY ticket");

                long t0 = System.nanoTime();
                owner.stop();
                await().atMost(Duration.ofSeconds(15)).until(() -> connected(other));
                System.out.printf("take-over after a graceful stop: %.1f s%n", (System.nanoTime() - t0) / 1e9);
                assertThat(store.rows("SELECT owner, epoch FROM hub_server_lease WHERE server_id = 'rp'"))
                        .containsExactly(List.of(otherId, 2L));
                assertThat(stateOf(other).epoch()).isEqualTo(2);
                await().atMost(Duration.ofSeconds(30)).until(() -> other.context().getComponent("mt5", Mt5Component.class)
                        .connections().get("rp").activity().receivedTotal() >= DEALS);
                assertThat(store.rows("SELECT ticket, login, profit, deleted FROM crm_deal ORDER BY ticket"))
                        .as("read again by the new owner: nothing changed").isEqualTo(before);
                assertThat(store.count("SELECT COUNT(*) FROM hub_dead_letter")).isZero();
            }
        }
    }

    private EmbeddedHub hub(String id, Path file, ZooKeeperTestServer zookeeper, PostgresTestDatabase postgres) {
        return new EmbeddedHub().replay("rp", file)
                .with("hub.db.url", postgres.url())
                .with("hub.db.username", PostgresTestDatabase.USER)
                .with("hub.balance.enabled", "false")
                .with("hub.mt5.overflow-directory", dir.resolve("overflow-" + id).toString())
                .with("hub.cluster.type", "zookeeper")
                .with("hub.cluster.node-id", id)
                .with("hub.cluster.zookeeper.nodes", zookeeper.connectString())
                .with("hub.cluster.zookeeper.session-timeout", "4s");
    }

    private static ClusterOwnership.ServerState stateOf(EmbeddedHub hub) {
        return hub.context().getComponent("mt5", Mt5Component.class).ownership().orElseThrow().states().get(0);
    }

    private static HealthCheck.Result health(EmbeddedHub hub, String routeId) {
        return HealthCheckHelper.invoke(hub.context()).stream()
                .filter(result -> result.getCheck().getId().equals("consumer:" + routeId)).findFirst().orElseThrow();
    }

    private static double gauge(EmbeddedHub hub, String name) {
        return hub.context().getRegistry().findSingleByType(MeterRegistry.class).get(name).tag("server", "rp")
                .gauge().value();
    }

    private static boolean connected(EmbeddedHub hub) {
        var connection = hub.context().getComponent("mt5", Mt5Component.class).connections().get("rp");
        return connection != null && connection.isConnected();
    }
}

package io.mt5crmhub.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.testsupport.SimulatorProcess;
import io.mt5crmhub.testsupport.TcpProxy;
import io.mt5crmhub.testsupport.ZooKeeperTestServer;
import org.junit.jupiter.api.Test;

/**
 * The hub's ZooKeeper client: an ensemble that does not answer stops start-up in one line naming the key, and an
 * ensemble lost later is reported at once (the owned servers pause), and its return too.
 */
class ZooKeeperClusterTest {

    @Test
    void anEnsembleThatDoesNotAnswerStopsStartUpNamingTheKey() {
        String nowhere = "127.0.0.1:" + SimulatorProcess.freePort();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ZooKeeperCluster.connect(settings(nowhere)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("hub.cluster.zookeeper.nodes='" + nowhere + "': no ZooKeeper server answered within"
                        + " 1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aLostEnsembleIsReportedAtOnceAndItsReturnToo() throws Exception {
        try (ZooKeeperTestServer zookeeper = new ZooKeeperTestServer();
                TcpProxy network = new TcpProxy(zookeeper.port());
                ZooKeeperCluster cluster = ZooKeeperCluster.connect(settings(network.address()))) {
            assertThat(cluster.unreachableBecause()).isNull();

            network.blackHole();
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.unreachableBecause() != null);
            assertThat(cluster.unreachableBecause()).startsWith("ZooKeeper connection ");

            network.restore();
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.unreachableBecause() == null);
        }
    }

    private static ClusterSettings settings(String nodes) {
        return ClusterSettings.from(Settings.of(Map.of("hub.cluster.type", "zookeeper", "hub.cluster.node-id", "hub-t",
                "hub.cluster.zookeeper.nodes", nodes, "hub.cluster.zookeeper.session-timeout", "4s",
                "hub.cluster.zookeeper.connect-timeout", "1s")));
    }
}

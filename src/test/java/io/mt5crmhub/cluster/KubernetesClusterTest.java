package io.mt5crmhub.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.testsupport.KubernetesTestServer;
import io.mt5crmhub.testsupport.SimulatorProcess;
import io.mt5crmhub.testsupport.TcpProxy;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The hub's side of Kubernetes: start-up stops in one line naming the key when the API does not answer, when
 * node-id names no pod or when the pod lacks the members' labels (it would never be elected); a Lease naming this
 * pod is handed over when it leaves the election; an API lost later pauses the servers, and its return ends that.
 */
class KubernetesClusterTest {

    @Test
    void anApiThatDoesNotAnswerStopsStartUpNamingTheKey() {
        String nowhere = "http://127.0.0.1:" + SimulatorProcess.freePort();
        assertThatThrownBy(() -> KubernetesCluster.connect(settings(nowhere, "hub-0", Map.of())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("hub.cluster.kubernetes.master-url='" + nowhere + "' (empty: the pod's service"
                        + " account): the Kubernetes API did not answer: ");
    }

    @Test
    void aNodeIdThatNamesNoPodOrAPodWithoutTheLabelsStopsStartUp() {
        try (KubernetesTestServer kubernetes = new KubernetesTestServer()) {
            kubernetes.readyPod("hub-0");
            assertThatThrownBy(() -> KubernetesCluster.connect(settings(kubernetes.url(), "hub-9", Map.of())))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("hub.cluster.node-id='hub-9' names no pod in namespace 'trading': it must be this pod's"
                            + " name (the Deployment sets HUB_CLUSTER_NODE_ID from metadata.name)");
            assertThatThrownBy(() -> KubernetesCluster.connect(settings(kubernetes.url(), "hub-0",
                    Map.of("hub.cluster.kubernetes.labels", "app.kubernetes.io/name=mt5-crm-hub,tier=sync"))))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("hub.cluster.kubernetes.labels: pod 'hub-0' lacks the label tier=sync");
        }
    }

    @Test
    void badDurationsAndLabelsAreRefusedNamingTheKeys() {
        assertThatThrownBy(() -> settings("http://x", "hub-0", Map.of("hub.cluster.kubernetes.lease-duration", "5s",
                "hub.cluster.kubernetes.renew-deadline", "5s")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("hub.cluster.kubernetes.lease-duration (5000 ms) must be longer than"
                        + " hub.cluster.kubernetes.renew-deadline (5000 ms)");
        assertThatThrownBy(() -> settings("http://x", "hub-0", Map.of("hub.cluster.kubernetes.labels", "app")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("hub.cluster.kubernetes.labels='app' must be name=value pairs");
        assertThatThrownBy(() -> ClusterSettings.from(Settings.of(Map.of("hub.cluster.type", "kubernetes",
                "hub.cluster.node-id", "hub-0"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("hub.cluster.type=kubernetes needs hub.cluster.kubernetes.labels");
    }

    @Test
    void theLeaseOfAServerLeftHereIsHandedOverAndNoOtherIs() throws Exception {
        try (KubernetesTestServer kubernetes = new KubernetesTestServer()) {
            kubernetes.readyPod("hub-0");
            try (KubernetesCluster cluster = KubernetesCluster.connect(settings(kubernetes.url(), "hub-0", Map.of()));
                    DefaultCamelContext context = new DefaultCamelContext()) {
                context.addService(cluster.service());
                context.start();
                var view = cluster.service().getView("mt5-a");
                await().atMost(Duration.ofSeconds(10)).until(() -> view.getLocalMember().isLeader());
                assertThat(kubernetes.lease("mt5-crm-hub-mt5-a").getSpec().getHolderIdentity()).isEqualTo("hub-0");

                cluster.service().releaseView(view);

                assertThat(kubernetes.lease("mt5-crm-hub-mt5-a").getSpec().getHolderIdentity())
                        .as("emptied: the next pod takes it at once").isNull();
            }
        }
    }

    @Test
    void anApiLostLaterPausesTheServersAndItsReturnEndsThat() throws Exception {
        try (KubernetesTestServer kubernetes = new KubernetesTestServer();
                TcpProxy network = new TcpProxy(Integer.parseInt(kubernetes.url().replaceAll(".*:", "")))) {
            kubernetes.readyPod("hub-0");
            try (KubernetesCluster cluster = KubernetesCluster.connect(settings("http://" + network.address(), "hub-0",
                    Map.of()))) {
                assertThat(cluster.unreachableBecause()).isNull();

                network.blackHole();
                await().atMost(Duration.ofSeconds(10)).until(() -> cluster.unreachableBecause() != null);
                assertThat(cluster.unreachableBecause()).startsWith("Kubernetes API unreachable for ");

                network.restore();
                await().atMost(Duration.ofSeconds(10)).until(() -> cluster.unreachableBecause() == null);
            }
        }
    }

    static ClusterSettings settings(String url, String nodeId, Map<String, String> more) {
        Map<String, String> values = new HashMap<>(Map.of("hub.cluster.type", "kubernetes", "hub.cluster.node-id", nodeId,
                "hub.cluster.kubernetes.master-url", url, "hub.cluster.kubernetes.namespace",
                KubernetesTestServer.NAMESPACE, "hub.cluster.kubernetes.labels", "app.kubernetes.io/name=mt5-crm-hub",
                "hub.cluster.kubernetes.lease-duration", "3s", "hub.cluster.kubernetes.renew-deadline", "2s",
                "hub.cluster.kubernetes.retry-period", "500ms"));
        values.putAll(more);
        return ClusterSettings.from(Settings.of(values));
    }
}

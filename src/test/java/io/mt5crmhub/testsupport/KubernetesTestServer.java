package io.mt5crmhub.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

/**
 * A Kubernetes API server for the cluster tests: fabric8's mock server in CRUD mode over plain HTTP, which stores
 * Pods and Leases and refuses an update whose resource version is stale (409), as the real one does; one such
 * refusal can also be ordered for the next update of a Lease (someone else changed it in between). The tests play
 * the kubelet: they create the hub's pods Running and Ready, make them not Ready or delete them.
 */
public final class KubernetesTestServer implements AutoCloseable {

    public static final String NAMESPACE = "trading";
    public static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "mt5-crm-hub");

    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
            expectations, new KubernetesMixedDispatcher(expectations), false);
    private final KubernetesClient client;

    public KubernetesTestServer() {
        server.init();
        client = server.createClient();
    }

    /** The {@code hub.cluster.kubernetes.master-url} of this server. */
    public String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    /** A pod of the hub's Deployment, Running and Ready, as the kubelet reports it once its readiness probe passes. */
    public void readyPod(String name) {
        client.pods().inNamespace(NAMESPACE).resource(pod(name, true)).create();
    }

    /** The pod's readiness probe fails (or its node is lost): it is no member of the elections any more. */
    public void notReady(String name) {
        client.pods().inNamespace(NAMESPACE).withName(name).editStatus(pod -> new PodBuilder(pod).editStatus()
                .editFirstCondition().withStatus("False").endCondition().endStatus().build());
    }

    public void deletePod(String name) {
        client.pods().inNamespace(NAMESPACE).withName(name).delete();
    }

    /** The next update of Lease {@code name} is refused as a conflict, as when another writer changed it first. */
    public void conflictOnNextUpdateOf(String name) {
        server.expect().put().withPath("/apis/coordination.k8s.io/v1/namespaces/" + NAMESPACE + "/leases/" + name)
                .andReturn(409, new StatusBuilder().withStatus("Failure").withReason("Conflict").withCode(409)
                        .withMessage("Operation cannot be fulfilled on leases.coordination.k8s.io \"" + name
                                + "\": the object has been modified; please apply your changes to the latest version")
                        .build())
                .once();
    }

    public Lease lease(String name) {
        return client.leases().inNamespace(NAMESPACE).withName(name).get();
    }

    private static Pod pod(String name, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(LABELS)
                .endMetadata().withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}

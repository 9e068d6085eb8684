package io.mt5crmhub.cluster;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mt5crmhub.config.ConfigurationException;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hub.cluster.type=kubernetes}: Camel's {@link KubernetesClusterService} (a Lease per MT5 server; the members
 * are the Ready pods carrying the hub's labels) under Camel's rebalancing, which spreads the servers over the pods.
 * <p>
 * The hub keeps a client of its own beside the service's: at start it checks that the API answers and that this pod
 * is there with the labels (a pod that is not would never be elected, silently), then reads its own pod every retry
 * period. When that has failed for half the renew deadline the servers owned here pause, before Camel's leader stops
 * believing it leads (the renew deadline), and health says why.
 */
public final class KubernetesCluster implements HubCluster {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesCluster.class);
    private static final String GONE = "gone";

    private final KubernetesClient client;
    private final RebalancingLeaseService service;
    private final String namespace;
    private final String podName;
    private final long pauseAfterNanos;
    private final ScheduledExecutorService probe;
    private volatile long lastAnswerNanos = System.nanoTime();
    private volatile String lastProblem;

    private KubernetesCluster(KubernetesClient client, RebalancingLeaseService service, String namespace,
            String podName, Duration pauseAfter) {
        this.client = client;
        this.service = service;
        this.namespace = namespace;
        this.podName = podName;
        this.pauseAfterNanos = pauseAfter.toNanos();
        this.probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kubernetes-api-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Checks that the API answers and that this pod is one of the members; else start-up stops in one line. */
    public static KubernetesCluster connect(ClusterSettings settings) {
        KubernetesSettings k8s = settings.kubernetes();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig(k8s)).build();
        try {
            String namespace = k8s.namespace().orElseGet(client::getNamespace);
            if (namespace == null || namespace.isBlank()) {
                throw new ConfigurationException("hub.cluster.kubernetes.namespace is not set and the Kubernetes client"
                        + " knows none (no service account namespace): set it to the hub pods' namespace");
            }
            checkPod(client, settings, namespace);
            RebalancingLeaseService service = new RebalancingLeaseService(clusterService(settings, namespace),
                    k8s.retryPeriod().toMillis(), leasesOf(client, namespace), k8s.leasePrefix(), settings.nodeId());
            KubernetesCluster cluster = new KubernetesCluster(client, service, namespace, settings.nodeId(),
                    k8s.renewDeadline().dividedBy(2));
            cluster.probe.scheduleWithFixedDelay(cluster::probe, k8s.retryPeriod().toMillis(),
                    k8s.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Cluster: Kubernetes namespace {} (Leases {}-mt5-<server>, members labelled {}, lease {} ms,"
                    + " renew deadline {} ms), this pod is {}", namespace, k8s.leasePrefix(), k8s.labels(),
                    k8s.leaseDuration().toMillis(), k8s.renewDeadline().toMillis(), settings.nodeId());
            return cluster;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static Config clientConfig(KubernetesSettings k8s) {
        ConfigBuilder config = k8s.masterUrl().map(url -> new ConfigBuilder().withMasterUrl(url))
                .orElseGet(() -> new ConfigBuilder(Config.autoConfigure(null)));
        k8s.namespace().ifPresent(config::withNamespace);
        int timeout = (int) Math.max(1000, k8s.renewDeadline().toMillis() / 3);
        // one answer or none per probe: the client's own retries would hide for minutes that the API is away
        return config.withConnectionTimeout(timeout).withRequestTimeout(timeout).withRequestRetryBackoffLimit(0)
                .build();
    }

    private static void checkPod(KubernetesClient client, ClusterSettings settings, String namespace) {
        KubernetesSettings k8s = settings.kubernetes();
        Pod pod;
        try {
            pod = client.pods().inNamespace(namespace).withName(settings.nodeId()).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 401 || e.getCode() == 403) {
                throw new ConfigurationException("hub.cluster.type=kubernetes: the service account may not read pods"
                        + " in namespace '" + namespace + "' (HTTP " + e.getCode() + "): bind it to the Role of"
                        + " docs/deploy/kubernetes/rbac.yaml");
            }
            throw new ConfigurationException("hub.cluster.kubernetes.master-url='" + k8s.masterUrl().orElse("")
                    + "' (empty: the pod's service account): the Kubernetes API did not answer: " + rootMessage(e));
        }
        if (pod == null) {
            throw new ConfigurationException("hub.cluster.node-id='" + settings.nodeId() + "' names no pod in namespace '"
                    + namespace + "': it must be this pod's name (the Deployment sets HUB_CLUSTER_NODE_ID from"
                    + " metadata.name)");
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        for (Map.Entry<String, String> label : k8s.labels().entrySet()) {
            if (!label.getValue().equals(labels.get(label.getKey()))) {
                throw new ConfigurationException("hub.cluster.kubernetes.labels: pod '" + settings.nodeId()
                        + "' lacks the label " + label.getKey() + "=" + label.getValue() + " (it has " + labels
                        + "), so it would never be elected");
            }
        }
    }

    private static KubernetesClusterService clusterService(ClusterSettings settings, String namespace) {
        KubernetesSettings k8s = settings.kubernetes();
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        k8s.masterUrl().ifPresent(configuration::setMasterUrl);
        configuration.setNamespace(namespace);
        KubernetesClusterService service = new KubernetesClusterService(configuration);
        service.setId(settings.nodeId());
        service.setPodName(settings.nodeId());
        service.setKubernetesResourcesNamespace(namespace);
        service.setKubernetesResourceName(k8s.leasePrefix());
        service.setClusterLabels(k8s.labels());
        service.setLeaseDurationMillis(k8s.leaseDuration().toMillis());
        service.setRenewDeadlineMillis(k8s.renewDeadline().toMillis());
        service.setRetryPeriodMillis(k8s.retryPeriod().toMillis());
        service.setJitterFactor(KubernetesSettings.JITTER);
        return service;
    }

    private static RebalancingLeaseService.Leases leasesOf(KubernetesClient client, String namespace) {
        return new RebalancingLeaseService.Leases() {
            @Override
            public Lease get(String name) {
                return client.leases().inNamespace(namespace).withName(name).get();
            }

            @Override
            public void update(Lease lease) {
                client.leases().inNamespace(namespace).resource(lease)
                        .lockResourceVersion(lease.getMetadata().getResourceVersion()).update();
            }
        };
    }

    private void probe() {
        try {
            if (client.pods().inNamespace(namespace).withName(podName).get() == null) {
                lastProblem = GONE;
                return;
            }
            lastAnswerNanos = System.nanoTime();
            lastProblem = null;
        } catch (RuntimeException e) {
            lastProblem = rootMessage(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    @Override
    public String unreachableBecause() {
        long silent = System.nanoTime() - lastAnswerNanos;
        if (silent < pauseAfterNanos) {
            return null;
        }
        String problem = lastProblem;
        if (GONE.equals(problem)) {
            return "this pod (" + podName + ") is gone from namespace " + namespace + ": it is no member any more";
        }
        return String.format(Locale.ROOT, "Kubernetes API unreachable for %.1f s%s", silent / 1e9,
                problem == null ? "" : ": " + problem);
    }

    @Override
    public RebalancingLeaseService service() {
        return service;
    }

    @Override
    public void close() {
        probe.shutdownNow();
        client.close();
    }
}

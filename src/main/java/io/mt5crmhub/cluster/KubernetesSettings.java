package io.mt5crmhub.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;

/**
 * {@code hub.cluster.kubernetes.*}: where the instances' Leases and Pods are, and how long a Lease lasts.
 *
 * @param masterUrl     the API server, only from outside a cluster (tests, a developer's machine); empty inside a pod,
 *                      where the client uses the pod's service account
 * @param namespace     the namespace of the hub's Pods and Leases; empty: the client's (the service account's)
 * @param labels        the labels of the hub's Pods: the Ready pods carrying them are the elections' members
 * @param leasePrefix   each MT5 server's Lease is named {@code <leasePrefix>-mt5-<server>}
 * @param leaseDuration how long a new leader waits before it reads a server (so a former one has stopped)
 * @param renewDeadline a leader that could not renew for this long stops reading its servers
 * @param retryPeriod   how often each instance reads the Leases and Pods
 */
public record KubernetesSettings(Optional<String> masterUrl, Optional<String> namespace, Map<String, String> labels,
        String leasePrefix, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    /** Camel's own jitter on the retry period, which its checks take into account. */
    static final double JITTER = 1.2;

    static KubernetesSettings from(Settings settings) {
        String rawLabels = settings.get("hub.cluster.kubernetes.labels").orElseThrow(() -> new ConfigurationException(
                "hub.cluster.type=kubernetes needs hub.cluster.kubernetes.labels (the hub pods' labels, such as"
                        + " app.kubernetes.io/name=mt5-crm-hub)"));
        String leasePrefix = settings.getString("hub.cluster.kubernetes.lease-prefix", "mt5-crm-hub");
        if (!leasePrefix.matches("[a-z0-9]([a-z0-9.-]{0,100}[a-z0-9])?")) {
            throw new ConfigurationException("hub.cluster.kubernetes.lease-prefix='" + leasePrefix
                    + "' must be a Kubernetes name: lower-case letters, digits, dots and dashes, up to 102");
        }
        Duration lease = settings.getDuration("hub.cluster.kubernetes.lease-duration", Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ofMinutes(5));
        Duration renew = settings.getDuration("hub.cluster.kubernetes.renew-deadline", Duration.ofSeconds(6),
                Duration.ofSeconds(1), Duration.ofMinutes(5));
        Duration retry = settings.getDuration("hub.cluster.kubernetes.retry-period", Duration.ofSeconds(2),
                Duration.ofMillis(200), Duration.ofMinutes(1));
        if (lease.compareTo(renew) <= 0) {
            throw new ConfigurationException("hub.cluster.kubernetes.lease-duration (" + lease.toMillis()
                    + " ms) must be longer than hub.cluster.kubernetes.renew-deadline (" + renew.toMillis() + " ms)");
        }
        if (renew.toMillis() <= JITTER * retry.toMillis()) {
            throw new ConfigurationException("hub.cluster.kubernetes.renew-deadline (" + renew.toMillis()
                    + " ms) must be longer than " + JITTER + " times hub.cluster.kubernetes.retry-period ("
                    + retry.toMillis() + " ms)");
        }
        return new KubernetesSettings(settings.get("hub.cluster.kubernetes.master-url"),
                settings.get("hub.cluster.kubernetes.namespace"), labels(rawLabels), leasePrefix, lease, renew, retry);
    }

    /**
     * How long an election may show no leader before this pod re-enters it: a new leader waits a lease duration
     * before it leads, unseen by its own view, and a former one stops only at its renew deadline; never cut that short.
     */
    public Duration leaderlessTimeout() {
        return leaseDuration.multipliedBy(2).plus(renewDeadline);
    }

    private static Map<String, String> labels(String raw) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : raw.split(",")) {
            String[] kv = pair.strip().split("=", -1);
            if (kv.length != 2 || !kv[0].strip().matches("([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?")
                    || !kv[1].strip().matches("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?")) {
                throw new ConfigurationException("hub.cluster.kubernetes.labels='" + raw
                        + "' must be name=value pairs separated by commas, such as app.kubernetes.io/name=mt5-crm-hub");
            }
            labels.put(kv[0].strip(), kv[1].strip());
        }
        return Map.copyOf(labels);
    }
}

package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mt5crmhub.cluster.ClusterSettings;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import org.junit.jupiter.api.Test;

/**
 * The deployment examples of docs/deploy/ are what an operator copies: each must work as written. The VM example's
 * environment file is read the way the hub reads its environment (over the jar's application.properties), the
 * ZooKeeper ensemble it names is the one zoo.cfg describes and accepts its session timeout, and the systemd unit
 * starts the jar with that file. The Kubernetes manifests are parsed as Kubernetes objects: the Deployment's
 * environment is a valid clustered hub whose node id is the pod's name and whose members' labels are the pods'; the
 * Role grants what the Lease election and the hub's checks call, to the Deployment's service account; the
 * PodDisruptionBudget covers the same pods; probes, stop and rollout fit the hub.
 */
class DeploymentExamplesTest {

    private static final Path VM = Path.of("docs/deploy/vm-zookeeper");
    private static final Path K8S = Path.of("docs/deploy/kubernetes");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @Test
    void theVmExampleEnvironmentIsAValidClusteredHubOnTheShippedDefaults() throws IOException {
        Map<String, String> env = environmentFile(VM.resolve("hub.env"));
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            shipped.load(in);
        }
        // the documented rule: the environment beats the file; dots and dashes become underscores, upper case
        Settings settings = Settings.of(key -> Optional.ofNullable(env.get(environmentName(key)))
                .or(() -> Optional.ofNullable(shipped.getProperty(key)).map(String::strip)));

        HubSettings hub = HubSettings.from(settings);
        List<String> servers = new ConfiguredGatewayFactory(settings).serverIds();

        assertThat(hub.cluster().type()).isEqualTo(ClusterSettings.Type.ZOOKEEPER);
        assertThat(servers).as("MT5 servers the instances share").hasSizeGreaterThan(1);
        assertThat(hub.store().url()).startsWith("jdbc:postgresql:");
        assertThat(hub.cluster().nodeId()).as("each machine names itself").isEqualTo(env.get("HUB_CLUSTER_NODE_ID"));

        Properties zoo = new Properties();
        try (Reader in = Files.newBufferedReader(VM.resolve("zoo.cfg"))) {
            zoo.load(in);
        }
        List<String> ensemble = zoo.stringPropertyNames().stream().filter(name -> name.startsWith("server."))
                .sorted().map(name -> zoo.getProperty(name).split(":")[0] + ":" + zoo.getProperty("clientPort"))
                .toList();
        assertThat(ensemble).as("a 3-node ensemble").hasSize(3);
        assertThat(hub.cluster().zookeeperNodes().split(",")).containsExactlyInAnyOrderElementsOf(ensemble);
        long session = hub.cluster().sessionTimeout().toMillis();
        assertThat(session).as("the hub's session timeout within what the ensemble grants")
                .isBetween(Long.parseLong(zoo.getProperty("minSessionTimeout")),
                        Long.parseLong(zoo.getProperty("maxSessionTimeout")));
    }

    @Test
    void theVmExampleUnitStartsTheJarWithTheEnvironmentFileAndStopsItGracefully() throws IOException {
        Map<String, Map<String, String>> unit = unitFile(VM.resolve("mt5-crm-hub.service"));
        Map<String, String> service = unit.get("Service");

        assertThat(service.get("EnvironmentFile")).isEqualTo("/etc/mt5-crm-hub/hub.env");
        assertThat(service.get("ExecStart")).matches("/usr/bin/java .*-jar /opt/mt5-crm-hub/mt5-crm-hub\\.jar");
        assertThat(service.get("KillSignal")).isEqualTo("SIGTERM");
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            shipped.load(in);
        }
        int shutdownSeconds = Integer.parseInt(shipped.getProperty("camel.main.shutdown-timeout").strip());
        assertThat(Integer.parseInt(service.get("TimeoutStopSec"))).as("systemd waits out the graceful stop")
                .isGreaterThan(shutdownSeconds);
        assertThat(service.get("Restart")).isEqualTo("on-failure");
        assertThat(unit.get("Install").get("WantedBy")).isEqualTo("multi-user.target");
    }

    @Test
    void theKubernetesDeploymentIsAValidClusteredHubWhoseMembersAreItsPods() throws IOException {
        Deployment deployment = load(K8S.resolve("deployment.yaml"), Deployment.class);
        Container hub = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        String pod = "mt5-crm-hub-6d5f8b7c9-x2k4q";
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : hub.getEnv()) {
            if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
                assertThat(var.getValueFrom().getFieldRef().getFieldPath()).as(var.getName()).isEqualTo("metadata.name");
                env.put(var.getName(), pod);
            } else if (var.getValueFrom() != null) {
                assertThat(var.getValueFrom().getSecretKeyRef()).as("%s comes from a Secret", var.getName()).isNotNull();
                env.put(var.getName(), var.getName().endsWith("_URI") ? "amqp://hub:secret@rabbitmq:5672/%2F" : "secret");
            } else {
                env.put(var.getName(), var.getValue());
            }
        }
        Settings settings = overShipped(env);

        HubSettings hubSettings = HubSettings.from(settings);
        ClusterSettings cluster = hubSettings.cluster();
        assertThat(cluster.type()).isEqualTo(ClusterSettings.Type.KUBERNETES);
        assertThat(cluster.nodeId()).as("each pod is named by Kubernetes").isEqualTo(pod);
        assertThat(new ConfiguredGatewayFactory(settings).serverIds()).as("MT5 servers the pods share").hasSizeGreaterThan(1);
        assertThat(hubSettings.store().url()).startsWith("jdbc:postgresql:");
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).as("the pods carry the labels that make them members").containsAllEntriesOf(
                cluster.kubernetes().labels());
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getReplicas()).isGreaterThan(1);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                .as("a new pod is Ready before an old one stops").isZero();

        int port = Integer.parseInt(settings.getString("hub.http.port", "8080"));
        assertThat(hub.getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(port));
        for (Probe probe : List.of(hub.getReadinessProbe(), hub.getLivenessProbe(), hub.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/observe/health/live");
            assertThat(hub.getPorts()).anySatisfy(p -> assertThat(p.getName()).isEqualTo(probe.getHttpGet().getPort()
                    .getStrVal()));
        }
        int shutdownSeconds = Integer.parseInt(settings.getString("camel.main.shutdown-timeout", "0"));
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("Kubernetes waits out the graceful stop").isGreaterThan(shutdownSeconds);

        PodDisruptionBudget pdb = load(K8S.resolve("pdb.yaml"), PodDisruptionBudget.class);
        assertThat(podLabels).as("the budget covers the hub's pods").containsAllEntriesOf(
                pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).as("one pod evicted at a time").isEqualTo(1);
        assertThat(pdb.getMetadata().getNamespace()).isEqualTo(deployment.getMetadata().getNamespace());
    }

    @Test
    void theKubernetesRoleGrantsTheDeploymentsAccountWhatTheElectionCalls() throws IOException {
        Deployment deployment = load(K8S.resolve("deployment.yaml"), Deployment.class);
        List<HasMetadata> rbac = loadAll(K8S.resolve("rbac.yaml"));
        String namespace = deployment.getMetadata().getNamespace();
        ServiceAccount account = only(rbac, ServiceAccount.class);
        Role role = only(rbac, Role.class);
        RoleBinding binding = only(rbac, RoleBinding.class);

        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(account.getMetadata().getName());
        assertThat(binding.getSubjects()).anySatisfy(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(namespace);
        });
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        for (HasMetadata object : rbac) {
            assertThat(object.getMetadata().getNamespace()).as(object.getKind()).isEqualTo(namespace);
        }
        // Camel 4.17's Lease election: get, create and update (optimistic, by resource version) of Leases, list of
        // the labelled pods; the hub's start-up check and probe: get of its own pod
        assertThat(verbs(role, "coordination.k8s.io", "leases")).containsExactlyInAnyOrder("get", "create", "update");
        assertThat(verbs(role, "", "pods")).containsExactlyInAnyOrder("get", "list");
        assertThat(role.getRules()).as("nothing else").hasSize(2);
    }

    @Test
    void theKubernetesImageCarriesWhatTheHubReadsFromItsWorkingDirectory() throws IOException {
        List<String> lines = Files.readAllLines(K8S.resolve("Dockerfile")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        String copied = String.join(" ", lines.stream().filter(line -> line.startsWith("COPY ")).toList());
        for (String needed : List.of("target/mt5-crm-hub.jar", "application.properties", "routes/", "connectors/")) {
            assertThat(copied).as("the image copies %s", needed).contains(needed);
            assertThat(Path.of(needed.replace("target/mt5-crm-hub.jar", "pom.xml"))).exists();
        }
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("ENTRYPOINT [\"java\"")
                .contains("\"-jar\", \"mt5-crm-hub.jar\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("USER ").doesNotContain("root"));
        Deployment deployment = load(K8S.resolve("deployment.yaml"), Deployment.class);
        int exposed = Integer.parseInt(lines.stream().filter(line -> line.startsWith("EXPOSE ")).findFirst()
                .orElseThrow().substring(7).strip());
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(exposed));
    }

    private static Settings overShipped(Map<String, String> env) throws IOException {
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            shipped.load(in);
        }
        return Settings.of(key -> Optional.ofNullable(env.get(environmentName(key)))
                .or(() -> Optional.ofNullable(shipped.getProperty(key)).map(String::strip)));
    }

    private static <T> T load(Path file, Class<T> type) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return YAML.unmarshal(in, type);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<HasMetadata> loadAll(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            Object parsed = YAML.unmarshal(in);
            return parsed instanceof List<?> list ? (List<HasMetadata>) list : List.of((HasMetadata) parsed);
        }
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as("one %s", type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static List<String> verbs(Role role, String apiGroup, String resource) {
        return role.getRules().stream().filter(rule -> rule.getApiGroups().contains(apiGroup)
                && rule.getResources().contains(resource)).map(PolicyRule::getVerbs).findFirst().orElse(List.of());
    }

    private static String environmentName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code NAME=value} lines as systemd's EnvironmentFile reads them; comments and blank lines skipped. */
    private static Map<String, String> environmentFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int equals = text.indexOf('=');
            assertThat(equals).as("%s: '%s' is NAME=value", file, text).isPositive();
            values.put(text.substring(0, equals), text.substring(equals + 1));
        }
        return values;
    }

    /** A systemd unit's sections and their keys (each key once in these examples). */
    private static Map<String, Map<String, String>> unitFile(Path file) throws IOException {
        Map<String, Map<String, String>> sections = new HashMap<>();
        Map<String, String> current = null;
        for (String line : Files.readAllLines(file)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (text.startsWith("[") && text.endsWith("]")) {
                current = sections.computeIfAbsent(text.substring(1, text.length() - 1), s -> new HashMap<>());
            } else {
                assertThat(current).as("%s: '%s' before any section", file, text).isNotNull();
                int equals = text.indexOf('=');
                assertThat(current.put(text.substring(0, equals), text.substring(equals + 1)))
                        .as("%s: %s set twice", file, text).isNull();
            }
        }
        return sections;
    }
}

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

import io.mt5crmhub.cluster.ClusterSettings;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import org.junit.jupiter.api.Test;

/**
 * The deployment examples of docs/deploy/ are what an operator copies: each must work as written. The VM example's
 * environment file is read the way the hub reads its environment (over the jar's application.properties), the
 * ZooKeeper ensemble it names is the one zoo.cfg describes and accepts its session timeout, and the systemd unit
 * starts the jar with that file.
 */
class DeploymentExamplesTest {

    private static final Path VM = Path.of("docs/deploy/vm-zookeeper");

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

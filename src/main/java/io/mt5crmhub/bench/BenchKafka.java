package io.mt5crmhub.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The Kafka a benchmark's Kafka runs write to: topics named after the run (3 partitions each, created before and
 * deleted after it) and transactional ids of its own, so a broker's topics and producers are left alone.
 */
final class BenchKafka {

    private static final int PARTITIONS = 3;

    private final String bootstrap;
    private final String prefix;

    BenchKafka(String bootstrap, String prefix) {
        this.bootstrap = bootstrap;
        this.prefix = prefix;
    }

    /** Reachable, and the run's topics created. */
    boolean prepare() {
        if (bootstrap == null || bootstrap.isBlank()) {
            System.out.println("Kafka runs: skipped, no --kafka bootstrap servers given");
            return false;
        }
        try (Admin admin = admin()) {
            admin.createTopics(topics().stream().map(t -> new NewTopic(t, Optional.of(PARTITIONS), Optional.empty()))
                    .toList()).all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            System.out.println("Kafka runs: skipped, " + bootstrap + " did not create the run's topics: " + e);
            return false;
        }
    }

    /** The hub's settings for the run's topics and transactional ids; on or off is the bootstrap the run sets. */
    Map<String, String> hubSettings() {
        return Map.of("hub.kafka.topic.deals", prefix + ".deals", "hub.kafka.topic.positions", prefix + ".positions",
                "hub.kafka.topic.accounts", prefix + ".accounts", "hub.kafka.transactional-id-prefix",
                prefix + ".hub-");
    }

    void deleteRunData() {
        if (bootstrap == null || bootstrap.isBlank()) {
            return;
        }
        try (Admin admin = admin()) {
            admin.deleteTopics(topics()).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("the run's Kafka topics could not be deleted: " + e);
        }
    }

    private List<String> topics() {
        return List.of(prefix + ".deals", prefix + ".positions", prefix + ".accounts");
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(props);
    }
}

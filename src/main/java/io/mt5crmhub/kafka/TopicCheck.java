package io.mt5crmhub.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;

/**
 * Which topics a list's events can go to. A producer asked for a topic that does not exist waits for it until its
 * timeout and then fails as it would with the broker away; so a topic is checked once, before its first write: the
 * broker is asked whether it exists (an admin call, which never creates it), and a missing topic is asked for once
 * through the producer, which makes a broker with {@code auto.create.topics.enable} create it. A topic still missing
 * (or not ours to write) is refused with the broker's answer; asking again waits {@link #RETRY_MISSING_AFTER} (the
 * admin call alone answers meanwhile). A broker that does not answer is an outage, not a refusal.
 */
final class TopicCheck {

    static final Duration RETRY_MISSING_AFTER = Duration.ofMinutes(1);

    private final Admin admin;
    private final Duration timeout;
    private final Set<String> writable = ConcurrentHashMap.newKeySet();
    /** Topics the producer asked for and did not get: when, in nanoseconds. */
    private final Map<String, Long> askedAt = new ConcurrentHashMap<>();

    TopicCheck(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * The topics of {@code topics} that cannot be written, each with the broker's answer.
     *
     * @throws KafkaUnavailableException when the broker does not answer
     */
    Map<String, String> refused(Producer<?, ?> producer, Set<String> topics) throws KafkaUnavailableException {
        Map<String, String> refused = new LinkedHashMap<>();
        for (String topic : topics) {
            if (!writable.contains(topic)) {
                String refusal = check(producer, topic);
                if (refusal == null) {
                    writable.add(topic);
                    askedAt.remove(topic);
                } else {
                    refused.put(topic, refusal);
                }
            }
        }
        return refused;
    }

    /** Forgets what was found: after an outage a topic may have been deleted or created. */
    void forget() {
        writable.clear();
    }

    /** Null when {@code topic} can be written, else the broker's answer. */
    private String check(Producer<?, ?> producer, String topic) throws KafkaUnavailableException {
        String missing = describe(topic);
        if (missing == null) {
            return null;
        }
        Long asked = askedAt.get(topic);
        if (asked != null && System.nanoTime() - asked < RETRY_MISSING_AFTER.toNanos()) {
            return missing;
        }
        askedAt.put(topic, System.nanoTime());
        try {
            producer.partitionsFor(topic); // a broker that creates topics on demand creates it now
            return null;
        } catch (KafkaException e) {
            String refusal = KafkaFailures.refusalOf(e);
            if (refusal != null) {
                return "Kafka refused topic " + topic + ": " + refusal;
            }
            // still missing, or the broker went away meanwhile: ask once more
            String stillMissing = describe(topic);
            return stillMissing != null ? stillMissing : null;
        }
    }

    /** Null when the broker says the topic exists, its answer when it says the topic is missing or forbidden. */
    private String describe(String topic) throws KafkaUnavailableException {
        try {
            admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .allTopicNames().get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (KafkaFailures.isUnknownTopic(cause)) {
                return "Kafka has no topic " + topic + " and did not create it (auto.create.topics.enable=false?): "
                        + KafkaFailures.describe(cause);
            }
            String refusal = KafkaFailures.refusalOf(cause);
            if (refusal != null) {
                return "Kafka refused topic " + topic + ": " + refusal;
            }
            throw new KafkaUnavailableException("Kafka did not describe topic " + topic + ": "
                    + KafkaFailures.describe(cause), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not describe topic " + topic + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while describing topic " + topic, e);
        }
    }
}

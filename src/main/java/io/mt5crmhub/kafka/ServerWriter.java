package io.mt5crmhub.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.mt5crmhub.event.Mt5Event;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one MT5 server's events to Kafka, a list in one transaction, under the server's own transactional id: a
 * second producer that initialises the same id (another hub writing this server) makes the broker fence this one, and
 * from then on this writer refuses every list ({@link KafkaFencedException}) without calling Kafka again: it never
 * re-initialises the id, which would fence the other writer in turn. Lists of the server's three streams take turns.
 * <p>
 * A write returns only once {@code commitTransaction} has returned, so the list is in the log and visible to
 * read-committed consumers before its exchange completes and the checkpoint moves. Events whose topic cannot be
 * written, or that the broker refused alone (too large, say), are left out and answered with the broker's reason;
 * the rest of the list goes in a transaction of its own. Any other failure leaves nothing of the list committed: the
 * producer is dropped (a commit that timed out cannot be aborted) and the next write opens a new one, whose
 * initialisation ends the old transaction.
 */
final class ServerWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerWriter.class);

    private final String serverId;
    private final String transactionalId;
    private final Function<String, Producer<byte[], byte[]>> producers;
    private final EventRecords records;
    private final TopicCheck topics;
    private final Duration closeTimeout;
    private Producer<byte[], byte[]> producer;
    private volatile String fenced;

    ServerWriter(String serverId, String transactionalId, Function<String, Producer<byte[], byte[]>> producers,
            EventRecords records, TopicCheck topics, Duration closeTimeout) {
        this.serverId = serverId;
        this.transactionalId = transactionalId;
        this.producers = producers;
        this.records = records;
        this.topics = topics;
        this.closeTimeout = closeTimeout;
    }

    String transactionalId() {
        return transactionalId;
    }

    /** Why this server's writes stopped, or null while it writes. */
    String fenced() {
        return fenced;
    }

    /**
     * Commits the events (in their order) in one transaction and answers the events left out, each with the broker's
     * reason.
     *
     * @throws KafkaUnavailableException nothing of the list was committed; send it again
     * @throws KafkaFencedException another producer took this server's transactional id
     */
    synchronized Map<Mt5Event, String> write(List<Mt5Event> events)
            throws KafkaUnavailableException, KafkaFencedException {
        Producer<byte[], byte[]> open = open();
        Map<Mt5Event, String> refused = new LinkedHashMap<>();
        Set<String> needed = new LinkedHashSet<>();
        events.forEach(event -> needed.add(records.topicOf(event.entity())));
        Map<String, String> badTopics = topics.refused(open, needed);
        List<Mt5Event> sending = new ArrayList<>(events.size());
        for (Mt5Event event : events) {
            String reason = badTopics.get(records.topicOf(event.entity()));
            if (reason == null) {
                sending.add(event);
            } else {
                refused.put(event, reason);
            }
        }
        while (!sending.isEmpty()) {
            Map<Mt5Event, String> alone = commit(open, sending);
            if (alone.isEmpty()) {
                break;
            }
            refused.putAll(alone);
            sending.removeAll(alone.keySet());
        }
        return refused;
    }

    /**
     * One transaction. Empty when committed; the events the broker refused alone when it was aborted for them.
     */
    private Map<Mt5Event, String> commit(Producer<byte[], byte[]> open, List<Mt5Event> events)
            throws KafkaUnavailableException, KafkaFencedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        try {
            open.beginTransaction();
            for (Mt5Event event : events) {
                sent.add(open.send(records.recordOf(event)));
            }
            open.commitTransaction();
            return Map.of();
        } catch (KafkaException | IllegalStateException e) {
            if (KafkaFailures.isFenced(e)) {
                throw fence(e);
            }
            if (KafkaFailures.isUnclassifiedCommitAnswer(e)) {
                throw mayBeFenced(e);
            }
            Map<Mt5Event, String> alone = refusedAlone(events, sent);
            if (alone.isEmpty()) {
                drop();
                throw new KafkaUnavailableException("Kafka did not commit " + events.size() + " events of server "
                        + serverId + ": " + KafkaFailures.describe(e), e);
            }
            abort(open, e);
            return alone;
        }
    }

    /** The events whose send failed with a refusal of that record alone, each with the broker's answer. */
    private static Map<Mt5Event, String> refusedAlone(List<Mt5Event> events, List<Future<RecordMetadata>> sent) {
        Map<Mt5Event, String> alone = new LinkedHashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            Future<RecordMetadata> result = sent.get(i);
            if (result.isDone()) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    String refusal = KafkaFailures.refusalOf(e.getCause());
                    if (refusal != null) {
                        alone.put(events.get(i), "Kafka refused the record: " + refusal);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Map.of();
                }
            }
        }
        return alone;
    }

    private void abort(Producer<byte[], byte[]> open, RuntimeException cause)
            throws KafkaUnavailableException, KafkaFencedException {
        try {
            open.abortTransaction();
        } catch (KafkaException | IllegalStateException e) {
            if (KafkaFailures.isFenced(e)) {
                throw fence(e);
            }
            drop();
            throw new KafkaUnavailableException("Kafka did not abort a transaction of server " + serverId + " ("
                    + KafkaFailures.describe(cause) + "): " + KafkaFailures.describe(e), e);
        }
    }

    private Producer<byte[], byte[]> open() throws KafkaUnavailableException, KafkaFencedException {
        if (fenced != null) {
            throw new KafkaFencedException(serverId, fenced);
        }
        if (producer == null) {
            Producer<byte[], byte[]> created = producers.apply(transactionalId);
            try {
                created.initTransactions();
            } catch (KafkaException | IllegalStateException e) {
                created.close(Duration.ZERO);
                if (KafkaFailures.isFenced(e)) {
                    throw fence(e);
                }
                throw new KafkaUnavailableException("Kafka did not initialise transactional id " + transactionalId
                        + ": " + KafkaFailures.describe(e), e);
            }
            producer = created;
            LOG.info("Kafka producer of MT5 server {} ready (transactional id {})", serverId, transactionalId);
        }
        return producer;
    }

    private KafkaFencedException fence(Exception e) {
        fenced = "Kafka fenced the producer of MT5 server " + serverId + " (transactional id " + transactionalId
                + "): another producer with that id started; this hub writes nothing more of " + serverId
                + " to Kafka until it is restarted (" + KafkaFailures.describe(e) + ")";
        LOG.error(fenced);
        drop();
        return new KafkaFencedException(serverId, fenced);
    }

    /**
     * A commit whose answer does not say whether another producer took the transactional id over: a new producer's
     * initTransactions would fence that one in turn, so this is treated as fenced, the safe side.
     */
    private KafkaFencedException mayBeFenced(Exception e) {
        fenced = "Kafka may have fenced the producer of MT5 server " + serverId + " (transactional id "
                + transactionalId + "): its commit got an answer the client cannot classify, as when another producer"
                + " takes that id over at that moment; opening a new producer would fence that one in turn, so this hub"
                + " writes nothing more of " + serverId + " to Kafka until it is restarted (" + KafkaFailures.describe(e)
                + ")";
        LOG.error(fenced);
        drop();
        return new KafkaFencedException(serverId, fenced);
    }

    /** Closes the producer without waiting for what it holds; the next write opens a new one. */
    private void drop() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing the Kafka producer of {}: {}", serverId, e.toString());
            }
            producer = null;
        }
    }

    /** At stop: closes the producer, waiting up to the timeout for an abort of what is open. */
    synchronized void close() {
        if (producer != null) {
            try {
                producer.close(closeTimeout);
            } catch (RuntimeException e) {
                LOG.debug("closing the Kafka producer of {}: {}", serverId, e.toString());
            }
            producer = null;
        }
    }
}

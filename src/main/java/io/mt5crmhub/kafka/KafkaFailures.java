package io.mt5crmhub.kafka;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What a Kafka client failure means for the hub: fenced, one record refused for good, or try again. */
final class KafkaFailures {

    private KafkaFailures() {
    }

    /**
     * The broker fenced the producer: another producer initialised the same transactional id after it (the client
     * reports it as {@link ProducerFencedException}, or {@link InvalidProducerEpochException} from a produce request),
     * anywhere in the cause chain.
     */
    static boolean isFenced(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * The transaction coordinator answered a commit with an error the client does not handle (UNKNOWN_SERVER_ERROR
     * above all, which the broker gives when another producer initialises the same transactional id at that moment):
     * the outcome is unknown and the producer may be fenced. The client raises it as a bare {@link KafkaException}
     * without the error code ({@code TransactionManager}'s EndTxn handler, kafka-clients 3.9), so its message is all
     * there is to tell it by.
     */
    static boolean isUnclassifiedCommitAnswer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KafkaException && t.getMessage() != null
                    && t.getMessage().startsWith("Unhandled error in EndTxnResponse")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * The broker's answer when it refused one record for good (its topic cannot be written, or it is too large), or
     * null when the failure is not about that record alone and sending it again may work.
     */
    static String refusalOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TopicAuthorizationException || t instanceof InvalidTopicException
                    || t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return describe(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** True when the broker said the topic does not exist. */
    static boolean isUnknownTopic(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownTopicOrPartitionException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The most specific part of a failure: the Kafka API error deepest in the chain, as "Class: message". */
    static String describe(Throwable failure) {
        Throwable chosen = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiException) {
                chosen = t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String message = chosen.getMessage();
        return chosen.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

package io.mt5crmhub.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class KafkaFailuresTest {

    @Test
    void aFencedProducerIsRecognisedWhereverTheClientWrapsIt() {
        assertThat(KafkaFailures.isFenced(new ProducerFencedException("epoch 3 is old"))).isTrue();
        assertThat(KafkaFailures.isFenced(new KafkaException("Cannot execute transactional method because we are in"
                + " an error state", new InvalidProducerEpochException("Producer attempted to produce with an old"
                + " epoch")))).isTrue();
        assertThat(KafkaFailures.isFenced(new TimeoutException("Timeout expired after 3000ms"))).isFalse();
    }

    @Test
    void aCommitAnswerTheClientCannotClassifyIsToldApartFromABrokerAway() {
        // what kafka-clients 3.9 raised in KafkaFanOutIT when a second producer took the id over during a commit
        assertThat(KafkaFailures.isUnclassifiedCommitAnswer(new KafkaException("Unhandled error in EndTxnResponse: The"
                + " server experienced an unexpected error when processing the request."))).isTrue();
        assertThat(KafkaFailures.isUnclassifiedCommitAnswer(new KafkaException("The client hasn't received"
                + " acknowledgment for some previously sent messages", new TimeoutException("expired")))).isFalse();
        assertThat(KafkaFailures.isUnclassifiedCommitAnswer(new TimeoutException("Timeout expired after 60000ms while"
                + " awaiting EndTxn(true)"))).isFalse();
    }

    @Test
    void aRecordRefusedAloneIsToldApartFromAFailureWorthRetrying() {
        String refusal = KafkaFailures.refusalOf(new ExecutionException(new KafkaException("send failed",
                new TopicAuthorizationException("Not authorized to access topics: [mt5.deals]"))));
        assertThat(refusal).isEqualTo("TopicAuthorizationException: Not authorized to access topics: [mt5.deals]");
        assertThat(KafkaFailures.refusalOf(new RecordTooLargeException("The message is 2000000 bytes"))).isNotNull();
        assertThat(KafkaFailures.refusalOf(new TimeoutException("Topic t not present in metadata after 3000 ms.")))
                .as("a missing topic and an absent broker look alike here: the topic check tells them apart").isNull();
        assertThat(KafkaFailures.refusalOf(new KafkaException("Failing batch since transaction was aborted"))).isNull();
    }

    @Test
    void theDescriptionIsTheDeepestKafkaErrorWithItsMessage() {
        assertThat(KafkaFailures.describe(new KafkaException("outer", new UnknownTopicOrPartitionException(
                "This server does not host this topic-partition."))))
                .isEqualTo("UnknownTopicOrPartitionException: This server does not host this topic-partition.");
        assertThat(KafkaFailures.isUnknownTopic(new ExecutionException(new UnknownTopicOrPartitionException("x"))))
                .isTrue();
        assertThat(KafkaFailures.describe(new IllegalStateException("closed"))).isEqualTo("IllegalStateException: closed");
    }
}

package io.mt5crmhub.kafka;

/** Kafka could not be reached or did not take a whole list: nothing of it was committed; send it again. */
public class KafkaUnavailableException extends Exception {

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.mt5crmhub.kafka;

/**
 * Another producer with this MT5 server's transactional id started after this one (a second hub writing the same
 * server): the broker fenced this hub's producer, and this hub writes nothing more of that server to Kafka until it
 * is restarted. Nothing of the list was committed.
 */
public class KafkaFencedException extends Exception {

    private final String serverId;

    public KafkaFencedException(String serverId, String message) {
        super(message);
        this.serverId = serverId;
    }

    /** The MT5 server whose Kafka writes stopped on this hub. */
    public String serverId() {
        return serverId;
    }
}

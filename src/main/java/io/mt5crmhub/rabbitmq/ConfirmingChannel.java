package io.mt5crmhub.rabbitmq;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection and its confirming channel, with the messages published on it and not confirmed yet, by publish
 * sequence number: many in flight at once, each settled when its confirm arrives. An ack settles a message as
 * published, unless the broker returned it first (mandatory, nothing bound to its routing key); a nack or no
 * confirm within the confirm timeout settles it as failed.
 */
final class ConfirmingChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmingChannel.class);

    /** Where a settled message goes: {@code failure} is null when the broker confirmed it. */
    @FunctionalInterface
    interface Settlement {
        void settled(OutgoingMessage message, Exception failure);
    }

    private record Pending(OutgoingMessage message, long deadlineNanos) {
    }

    private final Connection connection;
    private final Channel channel;
    private final String exchangeName;
    private final long confirmTimeoutMs;
    private final Settlement settlement;
    private final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
    private final Set<String> returned = ConcurrentHashMap.newKeySet();

    /** Listens to the channel's confirms and returns; the channel is in confirm mode already. */
    ConfirmingChannel(Connection connection, Channel channel, String exchangeName, long confirmTimeoutMs,
            Settlement settlement) {
        this.connection = connection;
        this.channel = channel;
        this.exchangeName = exchangeName;
        this.confirmTimeoutMs = confirmTimeoutMs;
        this.settlement = settlement;
        channel.addConfirmListener((seq, multiple) -> confirmed(seq, multiple, true),
                (seq, multiple) -> confirmed(seq, multiple, false));
        channel.addReturnListener(r -> returned.add(r.getProperties().getMessageId()));
    }

    /**
     * Publishes mandatory and tracks the message until its confirm arrives, without waiting for it. False when the
     * channel is broken: the message is not tracked here and must wait for the next connection. Called by one
     * thread at a time.
     */
    boolean publish(OutgoingMessage message) {
        long seq = channel.getNextPublishSeqNo();
        outstanding.put(seq, new Pending(message,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMs)));
        try {
            channel.basicPublish(exchangeName, message.routingKey, true, message.properties, message.body);
            return true;
        } catch (IOException | AlreadyClosedException e) {
            return outstanding.remove(seq) == null; // gone already: settled (timed out) meanwhile
        }
    }

    private void confirmed(long seq, boolean multiple, boolean ack) {
        if (!multiple) {
            settle(outstanding.remove(seq), ack);
            return;
        }
        for (Long key : outstanding.headMap(seq, true).keySet().toArray(Long[]::new)) {
            settle(outstanding.remove(key), ack);
        }
    }

    private void settle(Pending p, boolean ack) {
        if (p == null) {
            return; // settled already (timed out)
        }
        String messageId = p.message().messageId;
        if (!ack) {
            settlement.settled(p.message(), new PublishRejectedException("RabbitMQ nacked " + messageId));
        } else if (returned.remove(messageId)) {
            settlement.settled(p.message(), new PublishRejectedException("RabbitMQ returned " + messageId
                    + ": no queue is bound to its routing key"));
        } else {
            settlement.settled(p.message(), null);
        }
    }

    /** Fails the messages whose confirm is overdue. */
    void expireOverdue() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Pending> e : outstanding.entrySet()) {
            Pending p = e.getValue();
            if (now - p.deadlineNanos() > 0 && outstanding.remove(e.getKey(), p)) {
                settlement.settled(p.message(), new TimeoutException("no publisher confirm for "
                        + p.message().messageId + " within " + confirmTimeoutMs + " ms"));
            }
        }
    }

    /** Takes back, in publish order, what the broker has not confirmed: to be published again elsewhere. */
    List<OutgoingMessage> takeUnconfirmed() {
        List<OutgoingMessage> unconfirmed = new ArrayList<>();
        for (Long key : outstanding.keySet().toArray(Long[]::new)) {
            Pending p = outstanding.remove(key);
            if (p != null) {
                unconfirmed.add(p.message());
            }
        }
        return unconfirmed;
    }

    int unconfirmed() {
        return outstanding.size();
    }

    /** Tells when the connection is gone (closed by either side, or lost). */
    void onLost(Consumer<ShutdownSignalException> lost) {
        connection.addShutdownListener(lost::accept);
    }

    void close() {
        try {
            connection.close(5_000);
        } catch (IOException | AlreadyClosedException e) {
            LOG.debug("closing the RabbitMQ connection: {}", e.getMessage());
        }
    }
}

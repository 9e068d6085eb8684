package io.mt5crmhub.rabbitmq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the publisher's messages go: published on the current confirming channel, or held in order while there is
 * none and published once a connection is back. Memory stays bounded: the {@code mt5:} consumers never have more
 * than {@code maxInflight} exchanges out. Closed when the publisher stops: it then takes nothing new.
 */
final class PublishLine {

    private final ReentrantLock lock = new ReentrantLock();
    /** Messages held while there is no connection, published in order once it is back (guarded by lock). */
    private final Deque<OutgoingMessage> held = new ArrayDeque<>();
    private volatile ConfirmingChannel channel;
    private boolean closed;

    /** Publishes the messages or holds them; false, without taking any, when the line is closed. */
    boolean offer(List<OutgoingMessage> messages) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            for (OutgoingMessage message : messages) {
                publishOrHold(message);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Publishes or holds one message again (a retry); false, without taking it, when the line is closed. */
    boolean offer(OutgoingMessage message) {
        return offer(List.of(message));
    }

    private void publishOrHold(OutgoingMessage message) {
        ConfirmingChannel current = channel;
        if (current == null || !current.publish(message)) {
            held.addLast(message);
        }
    }

    /** A connection is up: its channel takes what was held, in order. Returns how many messages were held. */
    int attach(ConfirmingChannel fresh) {
        lock.lock();
        try {
            channel = fresh;
            int count = held.size();
            // each held message once: one that the channel refuses (broken meanwhile) goes back in line
            for (int i = 0; i < count; i++) {
                publishOrHold(held.pollFirst());
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The connection is gone: what it had not confirmed goes back in line, to be published again. Returns how many
     * messages that was, or -1 when it was not the current connection.
     */
    int detach(ConfirmingChannel from) {
        lock.lock();
        try {
            if (channel != from) {
                return -1;
            }
            channel = null;
            List<OutgoingMessage> unconfirmed = from.takeUnconfirmed();
            held.addAll(unconfirmed);
            return unconfirmed.size();
        } finally {
            lock.unlock();
        }
    }

    /** Takes nothing new from now on; returns what it holds, now no longer held. */
    List<OutgoingMessage> close() {
        lock.lock();
        try {
            closed = true;
            return takeHeld();
        } finally {
            lock.unlock();
        }
    }

    /** After {@link #close()}: lets the channel go and returns what is still held and what it has not confirmed. */
    List<OutgoingMessage> release() {
        lock.lock();
        try {
            ConfirmingChannel current = channel;
            channel = null;
            if (current != null) {
                held.addAll(current.takeUnconfirmed());
            }
            return takeHeld();
        } finally {
            lock.unlock();
        }
    }

    private List<OutgoingMessage> takeHeld() {
        List<OutgoingMessage> taken = new ArrayList<>(held);
        held.clear();
        return taken;
    }

    /** The current channel, or null while there is no connection. */
    ConfirmingChannel channel() {
        return channel;
    }

    int held() {
        lock.lock();
        try {
            return held.size();
        } finally {
            lock.unlock();
        }
    }
}

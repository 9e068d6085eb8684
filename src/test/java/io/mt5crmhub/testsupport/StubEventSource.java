package io.mt5crmhub.testsupport;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.Mt5Retcode;

/**
 * An MT5 server in memory. On each connect it reports connected, then sends its live events from a thread of
 * its own; its deal history and its snapshot of accounts and positions are whatever the test last set. It counts
 * connects and records where each history read started.
 */
public final class StubEventSource implements Mt5EventSource {

    private final String serverId;
    private final AtomicInteger connects = new AtomicInteger();
    private final List<Instant> historyReadsFrom = new CopyOnWriteArrayList<>();
    private volatile List<Mt5Event> live = List.of();
    private volatile List<Mt5Event> dealHistory = List.of();
    private volatile List<Mt5Event> snapshot = List.of();
    private volatile boolean connected;
    private volatile boolean deliverWithinConnect;

    private volatile int maxHistoryAnswer = Integer.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicInteger largestHistoryAnswer =
            new java.util.concurrent.atomic.AtomicInteger();

    public StubEventSource(String serverId) {
        this.serverId = serverId;
    }

    /** The events sent live after each connect. */
    public StubEventSource live(Mt5Event... events) {
        this.live = List.of(events);
        return this;
    }

    /**
     * Sends the live events from inside {@code connect}, before it returns, as a gateway may (a replay file played
     * faster than the caller is scheduled, the Manager API's network thread calling back during Connect).
     */
    public StubEventSource deliverWithinConnect() {
        this.deliverWithinConnect = true;
        return this;
    }

    /** The deals every history read returns from now on, whatever its time range. */
    public StubEventSource dealHistory(Mt5Event... deals) {
        this.dealHistory = List.of(deals);
        return this;
    }

    /** The accounts and open positions every snapshot read returns from now on (each read takes its own kind). */
    public StubEventSource snapshot(Mt5Event... accountsAndPositions) {
        this.snapshot = List.of(accountsAndPositions);
        return this;
    }

    public int connects() {
        return connects.get();
    }

    /** The start of each deal history read so far, oldest first. */
    public List<Instant> historyReadsFrom() {
        return List.copyOf(historyReadsFrom);
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public void connect(GatewayListener listener) {
        connects.incrementAndGet();
        connected = true;
        listener.onConnected();
        List<Mt5Event> events = live;
        if (deliverWithinConnect) {
            try {
                for (Mt5Event event : events) {
                    listener.onEvent(event);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        Thread sender = new Thread(() -> {
            try {
                for (Mt5Event event : events) {
                    listener.onEvent(event);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stub-mt5-" + serverId);
        sender.start();
    }

    @Override
    public List<Mt5Event> dealHistory(Instant from, Instant to) throws GatewayException {
        historyReadsFrom.add(from);
        // as the SPI says: from <= time <= to
        List<Mt5Event> answer = dealHistory.stream()
                .filter(d -> !d.occurredAt().isBefore(from) && !d.occurredAt().isAfter(to)).toList();
        if (answer.size() > maxHistoryAnswer) {
            throw new GatewayException(Mt5Retcode.ERR_NETWORK, "the stand-in cannot answer " + answer.size()
                    + " deals at once");
        }
        largestHistoryAnswer.accumulateAndGet(answer.size(), Math::max);
        return answer;
    }

    /** A server that fails a history request of more than {@code max} deals, as one out of memory does. */
    public StubEventSource maxHistoryAnswer(int max) {
        this.maxHistoryAnswer = max;
        return this;
    }

    /** The most deals one {@link #dealHistory} call has answered. */
    public int largestHistoryAnswer() {
        return largestHistoryAnswer.get();
    }

    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    @Override
    public void disconnect() {
        connected = false;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public List<Mt5Event> accounts() {
        return snapshotOf(EntityType.ACCOUNT);
    }

    @Override
    public List<Mt5Event> openPositions() {
        return snapshotOf(EntityType.POSITION);
    }

    private List<Mt5Event> snapshotOf(EntityType entity) {
        return snapshot.stream().filter(event -> event.entity() == entity).toList();
    }
}

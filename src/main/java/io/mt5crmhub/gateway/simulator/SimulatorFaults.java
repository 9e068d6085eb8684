package io.mt5crmhub.gateway.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestNotSentException;

/**
 * Faults a test can switch on to see how the hub copes with an unreliable MT5 link on balance operations, and that
 * link itself: the simulator passes every balance operation through {@link #onRequest} and {@link #onAnswer}.
 * Thread-safe; shared by a gateway across reconnects.
 */
public final class SimulatorFaults {

    private final AtomicInteger droppedAnswers = new AtomicInteger();
    private final AtomicInteger failedRequests = new AtomicInteger();
    private final AtomicInteger refusedConnections = new AtomicInteger();
    private volatile Duration answerDelay = Duration.ZERO;

    /**
     * The next {@code count} balance operations are performed on the books (the deal exists and is delivered),
     * but their answer is lost: the caller gets a {@code GatewayException} with {@code ERR_TIMEOUT}.
     */
    public void dropNextBalanceAnswers(int count) {
        requireNotNegative(count);
        droppedAnswers.set(count);
    }

    /**
     * The next {@code count} balance operations never reach the server: nothing changes and the caller gets a
     * {@code GatewayException} with {@code ERR_CONNECTION}.
     */
    public void failNextBalanceRequests(int count) {
        requireNotNegative(count);
        failedRequests.set(count);
    }

    /**
     * The next {@code count} balance operations find the server refusing connections: nothing is sent, and the
     * caller gets a {@code RequestNotSentException}.
     */
    public void refuseNextConnections(int count) {
        requireNotNegative(count);
        refusedConnections.set(count);
    }

    /** Every balance answer arrives this much later (the operation itself is already done). */
    public void delayBalanceAnswers(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative");
        }
        answerDelay = delay;
    }

    public void reset() {
        droppedAnswers.set(0);
        failedRequests.set(0);
        refusedConnections.set(0);
        answerDelay = Duration.ZERO;
    }

    /**
     * The way there, before a balance operation reaches the books: a refused connection or a lost request, when one
     * is switched on.
     */
    void onRequest(String serverId) throws GatewayException {
        if (take(refusedConnections)) {
            throw new RequestNotSentException(Mt5Retcode.ERR_NETWORK, "simulated fault: " + serverId
                    + " refused the connection; the balance request was not sent", null);
        }
        if (take(failedRequests)) {
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "simulated fault: the balance request to "
                    + serverId + " was lost on the way");
        }
    }

    /** The way back, after the books performed or refused the operation: a late answer or a lost one. */
    void onAnswer(String serverId) throws GatewayException {
        Duration delay = answerDelay;
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(Mt5Retcode.ERR_TIMEOUT, "interrupted while waiting for the answer", e);
            }
        }
        if (take(droppedAnswers)) {
            throw new GatewayException(Mt5Retcode.ERR_TIMEOUT, "simulated fault: the answer from " + serverId
                    + " was lost; the operation may have been performed");
        }
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private static void requireNotNegative(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count cannot be negative, was " + count);
        }
    }
}

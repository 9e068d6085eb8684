package io.mt5crmhub.gateway.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults a test can switch on to see how the hub copes with an unreliable MT5 link on balance operations.
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

    boolean takeDroppedAnswer() {
        return take(droppedAnswers);
    }

    boolean takeFailedRequest() {
        return take(failedRequests);
    }

    boolean takeRefusedConnection() {
        return take(refusedConnections);
    }

    Duration answerDelay() {
        return answerDelay;
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

package io.mt5crmhub.gateway;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The pause of a gateway's delivery thread ({@link Mt5EventSource#pause()}): the thread holds between two deliveries
 * while paused, and {@link #awaitHolding} lets the caller wait until it does, which is how a graceful stop knows
 * that nothing new is produced. It uses the gateway's own lock as its monitor, so that the gateway's checks of
 * its current worker run under the same lock as the pause.
 */
public final class DeliveryPause {

    private final Object monitor;
    private boolean paused;
    private boolean holding;

    public DeliveryPause(Object monitor) {
        this.monitor = monitor;
    }

    /** Pauses, and wakes a worker waiting on the monitor (a sleeping poller) so that it gets to hold. */
    public void pause() {
        synchronized (monitor) {
            paused = true;
            monitor.notifyAll();
        }
    }

    public void resume() {
        synchronized (monitor) {
            paused = false;
            monitor.notifyAll();
        }
    }

    /**
     * Waits, up to {@code grace}, until the worker holds.
     *
     * @param workerCurrent read under the monitor: false once the worker paused for is gone or stopping
     * @return false when the grace ran out with the worker still busy (a slow request or listener)
     */
    public boolean awaitHolding(BooleanSupplier workerCurrent, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (monitor) {
            while (paused && !holding && workerCurrent.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    monitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }
            return true;
        }
    }

    /**
     * Worker side, between two deliveries: blocks while paused.
     *
     * @param running read under the monitor: whether the worker should go on
     * @return whether it should go on
     */
    public boolean awaitTurn(BooleanSupplier running) throws InterruptedException {
        synchronized (monitor) {
            while (running.getAsBoolean() && paused) {
                if (!holding) {
                    holding = true;
                    monitor.notifyAll(); // a pause() may be waiting for the worker to hold
                }
                monitor.wait();
            }
            holding = false;
            return running.getAsBoolean();
        }
    }

    public boolean isPaused() {
        synchronized (monitor) {
            return paused;
        }
    }

    public boolean isHolding() {
        synchronized (monitor) {
            return holding;
        }
    }
}

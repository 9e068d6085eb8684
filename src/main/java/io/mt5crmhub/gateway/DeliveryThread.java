package io.mt5crmhub.gateway;

import java.time.Duration;

/**
 * The thread that delivers a gateway's live events, and how it pauses and stops. A gateway keeps one for its life;
 * each connect starts a new {@link Worker} on it (the simulator's generator, the Web API's poller, the replay's
 * reader), which loops on {@link Worker#awaitTurn()} between two deliveries.
 * <p>
 * {@link #pause()} holds the worker between two deliveries and returns once it holds, which is how a graceful stop
 * knows that nothing new is produced; the pause outlives the worker, so a worker started while paused holds before
 * its first delivery. {@link #stop()} lets the current delivery reach the listener and the worker end on its own;
 * only if it stays blocked longer than the grace period is its thread interrupted. Both return at once when called
 * from the worker's own thread (the listener pausing or disconnecting from inside a delivery), which cannot wait
 * for itself.
 *
 * @param <W> the gateway's worker
 */
public final class DeliveryThread<W extends DeliveryThread.Worker> {

    /** Opens what a worker needs (a session, the books) and makes the worker; runs under the thread's monitor. */
    @FunctionalInterface
    public interface Opener<W, E extends Exception> {
        W open() throws E;
    }

    private final Object monitor = new Object();
    private final Duration grace;
    private boolean paused;
    private boolean holding;
    private W current;

    /** @param grace how long a pause or a stop waits for a busy worker before it warns (and a stop interrupts) */
    public DeliveryThread(Duration grace) {
        this.grace = grace;
    }

    /**
     * Makes a worker with {@code opener} and starts its thread, under the monitor: a pause or stop called meanwhile
     * waits for the worker to be current. The opener checks that no worker is current ({@link #current()}).
     */
    public <E extends Exception> W start(Opener<W, E> opener) throws E {
        synchronized (monitor) {
            W worker = opener.open();
            if (current != null) {
                throw new IllegalStateException("a worker is still running");
            }
            Worker started = worker;
            started.owner = this;
            current = worker;
            started.thread.start();
            return worker;
        }
    }

    /** The running worker, or null once it was stopped or ended. */
    public W current() {
        synchronized (monitor) {
            return current;
        }
    }

    /**
     * Holds the worker between two deliveries; returns once it holds, has ended, or the grace ran out (then the
     * worker hears {@link Worker#stillBusyAfterPause}). From the worker's own thread it returns at once: the worker
     * holds once the delivery in progress returns.
     */
    public void pause() {
        Worker worker;
        synchronized (monitor) {
            paused = true;
            monitor.notifyAll(); // a sleeping worker wakes up to hold
            worker = current;
        }
        if (worker == null) {
            return;
        }
        worker.wake();
        if (Thread.currentThread() == worker.thread) {
            return;
        }
        if (!awaitHolding(worker)) {
            worker.stillBusyAfterPause(grace);
        }
    }

    public void resume() {
        synchronized (monitor) {
            paused = false;
            monitor.notifyAll();
        }
    }

    /** True while the worker is held by {@link #pause()} between two deliveries. */
    public boolean isHolding() {
        synchronized (monitor) {
            return holding;
        }
    }

    /**
     * Stops the current worker, if any: it ends after the delivery in progress. Waits for its thread up to the grace
     * period, then interrupts it (the worker hears {@link Worker#blockedAtStop} first) and waits once more. From the
     * worker's own thread it returns at once.
     */
    public void stop() {
        Worker stopping;
        synchronized (monitor) {
            stopping = current;
            if (stopping == null) {
                return;
            }
            current = null;
            stopping.running = false;
            monitor.notifyAll();
        }
        stopping.wake();
        if (Thread.currentThread() == stopping.thread) {
            return; // called from the listener: the loop ends once this delivery returns
        }
        try {
            stopping.thread.join(grace.toMillis());
            if (stopping.thread.isAlive()) {
                stopping.blockedAtStop(grace);
                stopping.thread.interrupt();
                stopping.thread.join(grace.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits, up to the grace period, until the worker holds; false when it ran out with the worker still busy. */
    private boolean awaitHolding(Worker worker) {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (monitor) {
            while (paused && !holding && current == worker && worker.running) {
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

    private boolean awaitTurn(Worker worker) throws InterruptedException {
        synchronized (monitor) {
            while (worker.running && paused) {
                if (!holding) {
                    holding = true;
                    monitor.notifyAll(); // a pause() may be waiting for the worker to hold
                }
                monitor.wait();
            }
            holding = false;
            return worker.running;
        }
    }

    private void sleep(Worker worker, Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (monitor) {
            while (worker.running && !paused) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void ended(Worker worker) {
        synchronized (monitor) {
            worker.running = false;
            if (current == worker) {
                current = null;
            }
            monitor.notifyAll();
        }
    }

    /**
     * One connection's delivery loop on a thread of its own. {@link #deliverUntilStopped()} loops while
     * {@link #awaitTurn()} says to go on, and calls {@link #end()} before it tells the listener it is disconnected.
     */
    public abstract static class Worker {

        private final Thread thread;
        private volatile boolean running = true;
        private DeliveryThread<?> owner;

        /** A thread that is a daemon when the thread making the worker is one. */
        protected Worker(String threadName) {
            this.thread = new Thread(this::runThread, threadName);
        }

        protected Worker(String threadName, boolean daemon) {
            this(threadName);
            thread.setDaemon(daemon);
        }

        /** The loop: delivers until {@link #awaitTurn()} says to stop, then ends. Runs on the worker's thread. */
        protected abstract void deliverUntilStopped();

        /** Ends a wait of the worker's own (an event queue) when it is paused or stopped; {@link #sleep} wakes itself. */
        protected void wake() {
        }

        /** A pause waited the whole grace period and the worker is still delivering (a slow listener or request). */
        protected void stillBusyAfterPause(Duration grace) {
        }

        /** A stop waited the whole grace period; the thread is interrupted next. */
        protected void blockedAtStop(Duration grace) {
        }

        /** Between two deliveries: blocks while paused; false once the worker should stop. */
        protected final boolean awaitTurn() throws InterruptedException {
            return owner.awaitTurn(this);
        }

        /** Sleeps up to {@code duration}, waking early on a stop or a pause. */
        protected final void sleep(Duration duration) throws InterruptedException {
            owner.sleep(this, duration);
        }

        /** False once the worker was stopped or has ended. */
        protected final boolean isRunning() {
            return running;
        }

        /** Marks the worker over and wakes a waiting pause or stop. Safe to call more than once. */
        protected final void end() {
            owner.ended(this);
        }

        private void runThread() {
            try {
                deliverUntilStopped();
            } finally {
                end();
            }
        }
    }
}

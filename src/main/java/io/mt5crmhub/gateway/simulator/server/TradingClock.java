package io.mt5crmhub.gateway.simulator.server;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mt5crmhub.gateway.simulator.TradeServerSimulator;

/**
 * The simulated trade server's own clock thread {@code mt5-webapi-sim-clock}: it trades at {@code --rate} actions a
 * second whether or not a hub is connected; clients read the books through the Web API. A failed action is rolled
 * back by the books and trading goes on.
 */
final class TradingClock {

    // logs as the server did before the clock was a class of its own: operators filter on that name
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);

    private final TradeServerSimulator simulator;
    private final double rate;
    private final Thread thread;
    private volatile boolean running = true;

    TradingClock(TradeServerSimulator simulator, double rate) {
        this.simulator = simulator;
        this.rate = rate;
        this.thread = new Thread(this::trade, "mt5-webapi-sim-clock");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops trading after the action in progress. */
    void stop() {
        running = false;
        simulator.wake();
    }

    /** Waits up to {@code timeoutMillis} for the action in progress to end. */
    void join(long timeoutMillis) throws InterruptedException {
        thread.join(timeoutMillis);
    }

    private void trade() {
        long interval = rate > 0 ? (long) (1e9 / rate) : 0;
        long next = System.nanoTime();
        while (running) {
            try {
                simulator.runActions(interval == 0 ? 50 : 1);
                simulator.takeEvents(); // nobody listens in-process: clients read the books through the Web API
            } catch (RuntimeException e) {
                if (!running || !simulator.isOpen()) {
                    return;
                }
                LOG.error("simulated action failed (rolled back, trading goes on): {}", e.getMessage());
            }
            if (interval > 0) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait < -1_000_000_000L) {
                    next = System.nanoTime(); // fell behind by more than a second: do not race to catch up
                } else if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}

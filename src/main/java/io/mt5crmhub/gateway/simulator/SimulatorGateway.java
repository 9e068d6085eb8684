package io.mt5crmhub.gateway.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.DeliveryPause;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code simulator} gateway: a {@link TradeServerSimulator} behind the hub's gateway interface.
 * <p>
 * {@link #connect} opens the books (creating the world on a fresh data directory), tells the listener it is
 * connected, and starts the generator thread {@code mt5-sim-<server>}. That thread delivers each action's
 * events in order, paced to the configured rate; a listener that blocks slows it down (back-pressure).
 * {@link #pause()} holds it between actions. {@link #disconnect()} lets the current action's events reach the
 * listener, stops the thread and closes the books; only if the listener stays blocked longer than a grace period
 * is the thread interrupted, which abandons deliveries of already committed actions, never an action itself.
 */
public final class SimulatorGateway implements Mt5EventSource, Mt5Dealer {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorGateway.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /**
     * Actions sharing one commit of the books at full speed (rate 0). The books are written through on every
     * commit (so a crash never leaves events out that the books forgot), and that write was 60% of the
     * simulator's time with 50 actions per commit (JFR, benchmark).
     */
    public static final int FULL_SPEED_ACTIONS_PER_COMMIT = 500;

    private final String serverId;
    private final SimulatorSettings settings;
    private final SimulatorFaults faults = new SimulatorFaults();
    private final Object state = new Object();
    private final DeliveryPause pause = new DeliveryPause(state);
    private Generator generator;

    public SimulatorGateway(String serverId, SimulatorSettings settings) {
        this.serverId = Objects.requireNonNull(serverId, "serverId");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The gateway for {@code mt5.server.<id>.gateway=simulator}. */
    public static SimulatorGateway create(ServerSettings serverSettings) {
        return new SimulatorGateway(serverSettings.id(), SimulatorSettings.from(serverSettings));
    }

    @Override
    public String serverId() {
        return serverId;
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** Fault switches for balance operations; they survive reconnects. */
    public SimulatorFaults faults() {
        return faults;
    }

    @Override
    public void connect(GatewayListener listener) throws GatewayException {
        Objects.requireNonNull(listener, "listener");
        synchronized (state) {
            if (generator != null) {
                throw new IllegalStateException("simulator " + serverId + " is already connected");
            }
            TradeServerSimulator simulator;
            try {
                simulator = TradeServerSimulator.open(serverId, settings, faults);
            } catch (RuntimeException e) {
                throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "cannot open the books of simulator " + serverId
                        + " in " + settings.dataDir() + ": " + e.getMessage(), e);
            }
            try {
                listener.onConnected();
            } catch (RuntimeException e) {
                simulator.close();
                throw e;
            }
            generator = new Generator(simulator, listener);
            generator.thread.start();
        }
    }

    /** Holds the generator between two actions; returns once it holds (or has stopped). */
    @Override
    public void pause() {
        pause.pause();
        Generator current;
        synchronized (state) {
            current = generator;
        }
        if (current == null) {
            return;
        }
        current.simulator.wake();
        if (Thread.currentThread() == current.thread) {
            return; // called from the listener: the generator holds once this delivery returns
        }
        if (!pause.awaitHolding(() -> generator == current && current.running, STOP_GRACE)) {
            LOG.warn("simulator {}: still delivering {} after pause; the listener is blocked", serverId, STOP_GRACE);
        }
    }

    @Override
    public void resume() {
        pause.resume();
    }

    /** True while the generator thread is held by {@link #pause()} between two actions. */
    public boolean isHolding() {
        return pause.isHolding();
    }

    @Override
    public void disconnect() {
        Generator stopping;
        synchronized (state) {
            stopping = generator;
            if (stopping == null) {
                return;
            }
            generator = null;
            stopping.running = false;
            state.notifyAll();
        }
        stopping.simulator.wake();
        if (Thread.currentThread() == stopping.thread) {
            return; // called from the listener: the loop ends once this delivery returns
        }
        try {
            stopping.thread.join(STOP_GRACE.toMillis());
            if (stopping.thread.isAlive()) {
                LOG.warn("simulator {}: the listener stayed blocked for {}; interrupting the delivery", serverId,
                        STOP_GRACE);
                stopping.thread.interrupt();
                stopping.thread.join(STOP_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isConnected() {
        Generator current = current();
        return current != null && current.running && current.simulator.isOpen();
    }

    @Override
    public List<Mt5Event> dealHistory(Instant from, Instant to) throws GatewayException {
        return open().dealHistory(from, to);
    }

    @Override
    public List<Mt5Event> accounts() throws GatewayException {
        return open().accounts();
    }

    @Override
    public List<Mt5Event> openPositions() throws GatewayException {
        return open().openPositions();
    }

    @Override
    public BalanceResult balance(BalanceOrder order) throws GatewayException {
        return open().balance(order);
    }

    @Override
    public List<Mt5Event> findDeals(long login, String comment, Instant since) throws GatewayException {
        return open().findDeals(login, comment, since);
    }

    /** Login to CRM client id of every login this connection may see; seeds the hub's demo login map. */
    public Map<Long, String> clientIdsByLogin() throws GatewayException {
        return open().clientIdsByLogin();
    }

    /** The engine behind this connection, for tests and tools. */
    public TradeServerSimulator simulator() throws GatewayException {
        return open();
    }

    private Generator current() {
        synchronized (state) {
            return generator;
        }
    }

    private TradeServerSimulator open() throws GatewayException {
        Generator current = current();
        if (current == null || !current.simulator.isOpen()) {
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "simulator " + serverId + " is not connected");
        }
        return current.simulator;
    }

    /** Blocks while paused; false once this generator should stop. */
    private boolean awaitTurn(Generator run) throws InterruptedException {
        return pause.awaitTurn(() -> run.running);
    }

    /** One connection's generator thread. */
    private final class Generator implements Runnable {

        final TradeServerSimulator simulator;
        final GatewayListener listener;
        final Thread thread;
        volatile boolean running = true;

        Generator(TradeServerSimulator simulator, GatewayListener listener) {
            this.simulator = simulator;
            this.listener = listener;
            this.thread = new Thread(this, "mt5-sim-" + serverId);
            this.thread.setDaemon(false);
        }

        @Override
        public void run() {
            RatePacer pacer = new RatePacer(settings.rate(), System::nanoTime);
            String reason = "disconnected";
            try {
                while (awaitTurn(this)) {
                    List<Mt5Event> pending = simulator.takeEvents();
                    if (!pending.isEmpty()) {
                        deliver(pending, pacer);
                        continue;
                    }
                    long wait = pacer.nanosUntilReady();
                    if (wait > 0) {
                        simulator.awaitEvents(Duration.ofNanos(wait));
                        continue;
                    }
                    // at full speed several actions share one commit; paced, each action commits on its own
                    simulator.runActions(settings.rate() == 0 ? FULL_SPEED_ACTIONS_PER_COMMIT : 1);
                    deliver(simulator.takeEvents(), pacer);
                }
            } catch (InterruptedException e) {
                reason = "disconnected while the listener was blocked";
            } catch (RuntimeException e) {
                reason = "simulator failed: " + e.getMessage();
                LOG.error("simulator {} stopped", serverId, e);
            } finally {
                running = false;
                simulator.close();
                synchronized (state) {
                    if (generator == this) {
                        generator = null;
                    }
                    state.notifyAll();
                }
                listener.onDisconnected(reason);
            }
        }

        private void deliver(List<Mt5Event> events, RatePacer pacer) throws InterruptedException {
            for (Mt5Event event : events) {
                listener.onEvent(event);
            }
            pacer.spend(events.size());
        }
    }
}

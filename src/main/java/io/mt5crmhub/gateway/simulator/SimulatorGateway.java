package io.mt5crmhub.gateway.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.DeliveringEventSource;
import io.mt5crmhub.gateway.DeliveryThread;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Dealer;
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
public final class SimulatorGateway extends DeliveringEventSource<SimulatorGateway.Generator> implements Mt5Dealer {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorGateway.class);
    /**
     * Actions sharing one commit of the books at full speed (rate 0). The books are written through on every
     * commit (so a crash never leaves events out that the books forgot), and that write was 60% of the
     * simulator's time with 50 actions per commit (JFR, benchmark).
     */
    public static final int FULL_SPEED_ACTIONS_PER_COMMIT = 500;

    private final String serverId;
    private final SimulatorSettings settings;
    private final SimulatorFaults faults = new SimulatorFaults();

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
        delivery.start(() -> {
            if (delivery.current() != null) {
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
            return new Generator(simulator, listener);
        });
    }

    /** True while the generator thread is held by {@link #pause()} between two actions. */
    public boolean isHolding() {
        return delivery.isHolding();
    }

    @Override
    public boolean isConnected() {
        Generator current = delivery.current();
        return current != null && current.simulator.isOpen();
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

    private TradeServerSimulator open() throws GatewayException {
        Generator current = delivery.current();
        if (current == null || !current.simulator.isOpen()) {
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "simulator " + serverId + " is not connected");
        }
        return current.simulator;
    }

    /** One connection's generator thread. */
    final class Generator extends DeliveryThread.Worker {

        final TradeServerSimulator simulator;
        final GatewayListener listener;

        Generator(TradeServerSimulator simulator, GatewayListener listener) {
            super("mt5-sim-" + serverId, false);
            this.simulator = simulator;
            this.listener = listener;
        }

        @Override
        protected void deliverUntilStopped() {
            RatePacer pacer = new RatePacer(settings.rate(), System::nanoTime);
            long firstAction = simulator.actionCount();
            long delivered = 0; // events of the actions this thread ran
            String reason = "disconnected";
            try {
                while (awaitTurn()) {
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
                    // at full speed several actions share one commit; paced, each action commits on its own while
                    // the generator keeps up, and the actions the rate allows share one once it falls behind (one
                    // commit per action on H2 gave 1,500-3,000 events/s on 2 cores, measured with SimulatorBench)
                    long actions = simulator.actionCount() - firstAction;
                    double eventsPerAction = actions == 0 ? 1 : (double) delivered / actions;
                    simulator.runActions(pacer.actionsAllowed(eventsPerAction, FULL_SPEED_ACTIONS_PER_COMMIT));
                    delivered += deliver(simulator.takeEvents(), pacer);
                }
            } catch (InterruptedException e) {
                reason = "disconnected while the listener was blocked";
            } catch (RuntimeException e) {
                reason = "simulator failed: " + e.getMessage();
                LOG.error("simulator {} stopped", serverId, e);
            } finally {
                simulator.close();
                end();
                listener.onDisconnected(reason);
            }
        }

        private int deliver(List<Mt5Event> events, RatePacer pacer) throws InterruptedException {
            for (Mt5Event event : events) {
                listener.onEvent(event);
            }
            pacer.spend(events.size());
            return events.size();
        }

        /** Between paced actions the generator waits on the books' event queue, not on the thread's monitor. */
        @Override
        protected void wake() {
            simulator.wake();
        }

        @Override
        protected void stillBusyAfterPause(Duration grace) {
            LOG.warn("simulator {}: still delivering {} after pause; the listener is blocked", serverId, grace);
        }

        @Override
        protected void blockedAtStop(Duration grace) {
            LOG.warn("simulator {}: the listener stayed blocked for {}; interrupting the delivery", serverId, grace);
        }
    }
}

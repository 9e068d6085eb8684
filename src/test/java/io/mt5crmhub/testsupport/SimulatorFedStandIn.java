package io.mt5crmhub.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

import com.sun.jna.Memory;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.gateway.simulator.SimulatorSettings;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;

/**
 * The Manager API stand-in fed from the simulator's engine: a seeded world trades at a fixed pace in this JVM and
 * every change it makes (deals, positions, users) is handed to the stand-in as MT5's network thread would push it,
 * so that the same world flows through the native gateway as through the others and its books can be compared
 * ticket by ticket. The deals the stand-in's own {@code DealerBalance} makes get tickets far above the world's.
 */
public final class SimulatorFedStandIn implements AutoCloseable {

    /** Where the stand-in's balance deals start: never a ticket of the world. */
    public static final long BALANCE_TICKETS = 9_000_000_000L;
    private static final int FULL_SPEED_ACTIONS = 50;

    private final TradeServerSimulator world;
    private final Mt5Stub.Control stub;
    private final Thread feeder;
    /** Held while one action's changes go to the books and then to the stand-in. */
    private final ReentrantLock stepping = new ReentrantLock();
    private volatile boolean running = true;
    private volatile Throwable failure;

    private SimulatorFedStandIn(TradeServerSimulator world, Mt5Stub.Control stub, int actionsPerSecond) {
        this.world = world;
        this.stub = stub;
        this.feeder = new Thread(() -> feed(actionsPerSecond), "simulator-fed-stand-in");
        this.feeder.setDaemon(true);
    }

    /**
     * Opens a world in {@code dataDir} (seed 7, its clock starting now), hands its current state to the reset
     * stand-in (users, open positions, the deals of its history), then feeds it {@code actionsPerSecond} actions'
     * changes a second until closed (0: as fast as the world trades, {@value #FULL_SPEED_ACTIONS} actions to a
     * commit, as the simulator at full speed does).
     */
    public static SimulatorFedStandIn start(Path dataDir, int actionsPerSecond, Mt5Stub.Control stub) {
        SimulatorFedStandIn fed = still(dataDir, stub, actionsPerSecond);
        fed.feeder.start();
        return fed;
    }

    /** As {@link #start}, without a thread of its own: the caller {@link #step()}s. */
    public static SimulatorFedStandIn startStill(Path dataDir, Mt5Stub.Control stub) {
        return still(dataDir, stub, 1);
    }

    private static SimulatorFedStandIn still(Path dataDir, Mt5Stub.Control stub, int actionsPerSecond) {
        Map<String, String> keys = Map.of("mt5.servers", "world", "mt5.server.world.gateway", "simulator",
                "mt5.server.world.rate", "0", "mt5.server.world.seed", "7",
                "mt5.server.world.data-dir", dataDir.toString());
        SimulatorSettings settings = SimulatorSettings.from(new ServerSettings("world", Settings.of(keys)));
        TradeServerSimulator world = TradeServerSimulator.open("world", settings);
        stub.stub_set_next_ticket(BALANCE_TICKETS);
        SimulatorFedStandIn fed = new SimulatorFedStandIn(world, stub, actionsPerSecond);
        world.accounts().forEach(fed::push);
        world.openPositions().forEach(fed::push);
        world.dealHistory(world.clock().minus(Duration.ofDays(30)), world.clock().plus(Duration.ofDays(1)))
                .forEach(fed::push);
        world.takeEvents(); // the changes that made that state: handed over as state above
        return fed;
    }

    /** The world's books: the truth the stand-in's answers are compared with. */
    public TradeServerSimulator books() {
        return world;
    }

    /**
     * Runs {@code reads} while the world stands still with every change it made handed to the stand-in: in MT5 the
     * books and what the API answers are one; here the books are ahead of the stand-in for the moment of a push.
     */
    public <T> T whileStill(Callable<T> reads) throws Exception {
        stepping.lock();
        try {
            return reads.call();
        } finally {
            stepping.unlock();
        }
    }

    /** One action of the world, its changes handed to the stand-in. */
    public void step() throws InterruptedException {
        step(1);
    }

    private void step(int actions) throws InterruptedException {
        stepping.lockInterruptibly();
        try {
            world.runActions(actions);
            for (Mt5Event event : world.takeEvents()) {
                push(event);
            }
        } finally {
            stepping.unlock();
        }
    }

    private void feed(int actionsPerSecond) {
        long interval = actionsPerSecond == 0 ? 0 : 1_000_000_000L / actionsPerSecond;
        int actions = actionsPerSecond == 0 ? FULL_SPEED_ACTIONS : 1;
        long next = System.nanoTime();
        try {
            while (running) {
                step(actions);
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    private void push(Mt5Event event) {
        int change = switch (event.type().change()) {
            case ADDED -> Mt5Stub.ADD;
            case UPDATED -> Mt5Stub.UPDATE;
            case DELETED -> Mt5Stub.DELETE;
        };
        switch (event.entity()) {
            case DEAL -> {
                Deal d = event.deal();
                stub.stub_deal_event_full(change, d.ticket(), event.login(), d.order(), d.positionId(),
                        d.action().code(), d.entry().code(), d.reason().code(), lots(d.volume()),
                        d.price().doubleValue(), d.profit().doubleValue(), d.commission().doubleValue(),
                        d.swap().doubleValue(), text(d.symbol()), text(d.comment()), event.occurredAt().toEpochMilli());
            }
            case POSITION -> {
                Position p = event.position();
                stub.stub_position_event_full(change, p.ticket(), event.login(), text(p.symbol()), p.action().ordinal(),
                        lots(p.volume()), p.priceOpen().doubleValue(), p.priceCurrent().doubleValue(),
                        number(p.priceSl()), number(p.priceTp()), p.profit().doubleValue(), p.swap().doubleValue(),
                        text(p.comment()), millis(p.openedAt()), millis(p.updatedAt()));
            }
            case ACCOUNT -> {
                Account a = event.account();
                stub.stub_user_event_full(change, event.login(), text(a.group()), text(a.name()), text(a.email()),
                        text(""), a.leverage(), a.balance().doubleValue(), a.credit().doubleValue(), 0, a.agent(),
                        a.registeredAt() == null ? 0 : a.registeredAt().getEpochSecond());
            }
            case ORDER -> {
                // the world makes no orders the gateway reads
            }
        }
    }

    private static long lots(java.math.BigDecimal volume) {
        return volume.movePointRight(4).longValueExact();
    }

    private static double number(java.math.BigDecimal value) {
        return value == null ? 0 : value.doubleValue();
    }

    private static long millis(Instant time) {
        return time == null ? 0 : time.toEpochMilli();
    }

    private static Memory text(String value) {
        return Mt5Stub.utf16(Optional.ofNullable(value).orElse(""));
    }

    /** Why feeding stopped early, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        running = false;
        feeder.interrupt();
        try {
            feeder.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        world.close();
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.DeliveringEventSource;
import io.mt5crmhub.gateway.DeliveryThread;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * The {@code native} gateway: MT5's own push through the Manager API library. The sinks are subscribed once,
 * before the first Connect; their callbacks (on the library's network thread) only put copies on {@link #inbox};
 * the {@link Pump} thread turns them into events for the listener, where blocking is allowed.
 * <p>
 * Not yet here (next steps of issue 13): the position and user sinks and snapshots ({@link #accounts()} and
 * {@link #openPositions()} fail), reconnecting by itself, a bound on the inbox, balance operations.
 */
public final class NativeGateway extends DeliveringEventSource<NativeGateway.Pump> {

    private static final Object WAKE = new Object();

    /** What the manager sink saw, in order with the deals. */
    private enum Connection { UP, DOWN }

    private final NativeSettings settings;
    private final ManagerLibrary library;
    private final NativeDealEvents events;
    // unbounded for now: the network thread may never block
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Object requests = new Object();
    private volatile boolean connected;
    private ManagerApi manager;
    private DealSink dealSink;

    /** Loads the library at once, so a missing or foreign one stops start-up with one line naming the key. */
    public NativeGateway(NativeSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.library = ManagerLibrary.load(settings.libraryKey(), settings.library());
        this.events = new NativeDealEvents(settings.serverId(), settings.timezoneMinutes());
    }

    @Override
    public String serverId() {
        return settings.serverId();
    }

    @Override
    public String kind() {
        return "native";
    }

    @Override
    public long skippedRecords() {
        return events.skipped() + (dealSink == null ? 0 : dealSink.failures());
    }

    @Override
    public void connect(GatewayListener listener) throws GatewayException {
        Objects.requireNonNull(listener, "listener");
        delivery.start(() -> {
            if (delivery.current() != null) {
                throw new IllegalStateException("native gateway " + serverId() + " is already connected");
            }
            ManagerApi api = subscribedManager();
            inbox.clear(); // what is left from an earlier connection comes back through the back-fill
            int res;
            synchronized (requests) {
                res = api.connect(settings.address(), settings.login(), settings.password(),
                        ManagerApi.PUMP_USERS_DEALS_POSITIONS, (int) settings.timeout().toMillis());
            }
            if (res != Mt5Retcode.OK) {
                throw new GatewayException(res, "MT5 server " + serverId() + " at " + settings.address()
                        + " refused the connection of login " + settings.login() + ": retcode "
                        + Integer.toUnsignedString(res));
            }
            connected = true;
            listener.onConnected();
            return new Pump(listener);
        });
    }

    @Override
    public void disconnect() {
        super.disconnect();
        synchronized (requests) {
            if (manager != null) {
                manager.disconnect();
            }
        }
        connected = false;
    }

    @Override
    public boolean isConnected() {
        return connected && delivery.current() != null;
    }

    @Override
    public List<Mt5Event> dealHistory(Instant from, Instant to) throws GatewayException {
        List<NativeDeal> deals;
        synchronized (requests) {
            if (manager == null || !connected) {
                throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "MT5 server " + serverId() + " is not connected");
            }
            ComObject array = manager.dealCreateArray();
            try {
                int res = manager.dealRequestByGroup(settings.groups().toString(), events.serverSeconds(from),
                        events.serverSeconds(to), array);
                if (res != Mt5Retcode.OK) {
                    throw new GatewayException(res, "DealRequestByGroup on MT5 server " + serverId() + " answered "
                            + Integer.toUnsignedString(res));
                }
                deals = DealArrays.read(array);
            } finally {
                array.callVoid(ArraySlots.RELEASE);
            }
        }
        List<Mt5Event> history = new ArrayList<>(deals.size());
        for (NativeDeal deal : deals) {
            events.event(new NativeDealChange(Change.ADDED, deal)).ifPresent(history::add);
        }
        history.sort(Comparator.comparing(Mt5Event::occurredAt).thenComparing(e -> e.deal().ticket()));
        return history;
    }

    @Override
    public List<Mt5Event> accounts() throws GatewayException {
        throw new GatewayException(Mt5Retcode.ERROR, "the native gateway does not read accounts yet");
    }

    @Override
    public List<Mt5Event> openPositions() throws GatewayException {
        throw new GatewayException(Mt5Retcode.ERROR, "the native gateway does not read positions yet");
    }

    /** The manager, created with its sinks subscribed on first use: sinks must be in place before Connect. */
    private ManagerApi subscribedManager() throws GatewayException {
        synchronized (requests) {
            if (manager == null) {
                ManagerApi api = library.createManager();
                dealSink = new DealSink(inbox::offer, () -> { });
                ConnectionSink connectionSink = new ConnectionSink(new ConnectionSink.Listener() {
                    @Override
                    public void onConnect() {
                        connected = true;
                        inbox.offer(Connection.UP);
                    }

                    @Override
                    public void onDisconnect() {
                        connected = false;
                        inbox.offer(Connection.DOWN);
                    }
                });
                requireOk(api.subscribe(connectionSink), "Subscribe");
                requireOk(api.dealSubscribe(dealSink), "DealSubscribe");
                manager = api;
            }
            return manager;
        }
    }

    private void requireOk(int res, String call) throws GatewayException {
        if (res != Mt5Retcode.OK) {
            throw new GatewayException(res, call + " on MT5 server " + serverId() + " answered "
                    + Integer.toUnsignedString(res));
        }
    }

    /** Delivers what the sinks put in the inbox, on a thread of the hub's where the listener may block. */
    final class Pump extends DeliveryThread.Worker {

        private final GatewayListener listener;
        private boolean up = true;

        Pump(GatewayListener listener) {
            super("mt5-native-pump-" + serverId(), true);
            this.listener = listener;
        }

        @Override
        protected void wake() {
            inbox.offer(WAKE);
        }

        @Override
        protected void deliverUntilStopped() {
            try {
                while (awaitTurn()) {
                    Object item = inbox.poll(250, TimeUnit.MILLISECONDS);
                    if (item instanceof NativeDealChange change) {
                        var event = events.event(change);
                        if (event.isPresent()) {
                            listener.onEvent(event.get());
                        }
                    } else if (item == Connection.DOWN && up) {
                        up = false;
                        listener.onDisconnected("MT5 server " + serverId() + " dropped the connection");
                    } else if (item == Connection.UP && !up) {
                        up = true;
                        listener.onConnected(); // the component back-fills what the outage hid
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

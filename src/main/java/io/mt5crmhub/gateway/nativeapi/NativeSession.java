package io.mt5crmhub.gateway.nativeapi;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import com.sun.jna.Pointer;

import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestNotSentException;

/**
 * The manager object of one {@code native} gateway, its sinks, whether MT5 is connected, and the requests it sends.
 * The manager is made and every sink subscribed once, before the first Connect (the API misses the first sync
 * otherwise); the sinks stay subscribed for the life of the process, so that no callback can reach a collected one.
 * Requests go one at a time (DealerBalance blocks up to ten seconds and must be serialised per connection), never
 * from a sink callback: only the gateway's pump and the hub's own threads call these methods.
 */
final class NativeSession {

    private final NativeSettings settings;
    private final ManagerLibrary library;
    private final Object requests = new Object();
    private volatile boolean connected;
    private ManagerApi manager;
    private DealSink dealSink;
    private PositionSink positionSink;
    private UserSink userSink;

    NativeSession(NativeSettings settings, ManagerLibrary library) {
        this.settings = settings;
        this.library = library;
    }

    /** Makes the manager and subscribes the four sinks on first use; their callbacks only feed {@code inbox}. */
    void subscribeOnce(Inbox inbox) throws GatewayException {
        synchronized (requests) {
            if (manager != null) {
                return;
            }
            ManagerApi api = library.createManager();
            ConnectionSink connectionSink = new ConnectionSink(new ConnectionSink.Listener() {
                @Override
                public void onConnect() {
                    connected = true;
                    inbox.signal(Inbox.Signal.CONNECTED);
                }

                @Override
                public void onDisconnect() {
                    connected = false;
                    inbox.signal(Inbox.Signal.DISCONNECTED);
                }
            });
            DealSink deals = new DealSink(inbox::offer, () -> { });
            PositionSink positions = new PositionSink(inbox::offer);
            UserSink users = new UserSink(inbox::offer);
            requireOk(api.subscribe(connectionSink), "Subscribe");
            requireOk(api.userSubscribe(users), "UserSubscribe");
            requireOk(api.positionSubscribe(positions), "PositionSubscribe");
            requireOk(api.dealSubscribe(deals), "DealSubscribe");
            dealSink = deals;
            positionSink = positions;
            userSink = users;
            manager = api;
        }
    }

    /** Logs in; the retcode as MT5 answered it (0 is success). */
    int connect() {
        synchronized (requests) {
            int res = manager.connect(settings.address(), settings.login(), settings.password(),
                    ManagerApi.PUMP_USERS_DEALS_POSITIONS, (int) settings.timeout().toMillis());
            if (res == Mt5Retcode.OK) {
                connected = true;
            }
            return res;
        }
    }

    /** Drops whatever is left of the connection and logs in anew; the retcode of the Connect. */
    int reconnect() {
        synchronized (requests) {
            manager.disconnect();
            return connect();
        }
    }

    void disconnect() {
        synchronized (requests) {
            if (manager != null) {
                manager.disconnect();
            }
            connected = false;
        }
    }

    boolean isConnected() {
        return connected;
    }

    /** Sink callbacks that failed (each logged). */
    long sinkFailures() {
        return (dealSink == null ? 0 : dealSink.failures()) + (positionSink == null ? 0 : positionSink.failures())
                + (userSink == null ? 0 : userSink.failures());
    }

    List<NativeDeal> dealsByGroup(long serverFrom, long serverTo) throws GatewayException {
        return read("DealRequestByGroup", ManagerApi::dealCreateArray,
                array -> manager.dealRequestByGroup(settings.groups().toString(), serverFrom, serverTo, array),
                DealReader::read);
    }

    List<NativeDeal> dealsOfLogin(long login, long serverFrom, long serverTo) throws GatewayException {
        return read("DealRequest", ManagerApi::dealCreateArray,
                array -> manager.dealRequest(login, serverFrom, serverTo, array), DealReader::read);
    }

    List<NativeUser> users() throws GatewayException {
        return read("UserRequestArray", ManagerApi::userCreateArray,
                array -> manager.userRequestArray(settings.groups().toString(), array), UserReader::read);
    }

    List<NativePosition> positions() throws GatewayException {
        return read("PositionRequestByGroup", ManagerApi::positionCreateArray,
                array -> manager.positionRequestByGroup(settings.groups().toString(), array), PositionReader::read);
    }

    /** One login asked of the server (UserRequest, slot 84); empty when MT5 does not know it. */
    Optional<NativeUser> user(long login) throws GatewayException {
        synchronized (requests) {
            requireConnected();
            ComObject user = manager.userCreate();
            try {
                int res = manager.userRequest(login, user);
                if (res == Mt5Retcode.ERR_NOTFOUND) {
                    return Optional.empty();
                }
                requireOk(res, "UserRequest");
                return Optional.of(UserReader.read(user.pointer()));
            } finally {
                user.callVoid(0); // Release: this object is ours, made by UserCreate
            }
        }
    }

    /**
     * DealerBalance, sent once.
     *
     * @throws RequestNotSentException when not connected: nothing was sent
     */
    DealerAnswer dealerBalance(long login, double value, int type, String comment) throws GatewayException {
        synchronized (requests) {
            if (manager == null || !connected) {
                throw new RequestNotSentException(Mt5Retcode.ERR_CONNECTION, "MT5 server " + settings.serverId()
                        + " is not connected: the balance operation on login " + login + " was not sent", null);
            }
            return manager.dealerBalance(login, value, type, comment);
        }
    }

    /** One request filling a fresh array, read and released before the next request. */
    private <T> List<T> read(String call, Function<ManagerApi, ComObject> create, ToIntFunction<ComObject> request,
            Function<Pointer, T> reader) throws GatewayException {
        synchronized (requests) {
            requireConnected();
            ComObject array = create.apply(manager);
            try {
                int res = request.applyAsInt(array);
                if (res == 1) { // OK_NONE: nothing matched
                    return List.of();
                }
                requireOk(res, call);
                return NativeArrays.read(array, reader);
            } finally {
                array.callVoid(ArraySlots.RELEASE);
            }
        }
    }

    private void requireConnected() throws GatewayException {
        if (manager == null || !connected) {
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "MT5 server " + settings.serverId()
                    + " is not connected");
        }
    }

    private void requireOk(int res, String call) throws GatewayException {
        if (res != Mt5Retcode.OK) {
            throw new GatewayException(res, call + " on MT5 server " + settings.serverId() + " answered "
                    + Integer.toUnsignedString(res) + " (" + Mt5Retcode.describe(res) + ")");
        }
    }
}

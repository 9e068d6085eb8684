package io.mt5crmhub.gateway.nativeapi;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/**
 * One IMTManagerAPI object: the calls the gateway makes, by slot. Result codes are returned as they come
 * (MTAPIRES, unsigned); the gateway decides what they mean. Requests may not be made from a sink callback.
 */
public final class ManagerApi {

    /** Pump modes USERS, ORDERS and POSITIONS: what the user, deal and position sinks need. */
    public static final long PUMP_USERS_DEALS_POSITIONS = 0x1 | 0x8 | 0x80;

    private final ComObject manager;

    ManagerApi(ComObject manager) {
        this.manager = manager;
    }

    /** The raw object, for calls this class does not wrap yet. */
    public ComObject object() {
        return manager;
    }

    /** Logs in synchronously; 0 is success. The password's native copy is wiped before returning. */
    public int connect(String server, long login, String password, long pumpMode, int timeoutMs) {
        Memory serverText = Utf16.text(server);
        Memory passwordText = Utf16.text(password);
        try {
            return manager.callInt(ManagerSlots.CONNECT, serverText, login, passwordText, Pointer.NULL, pumpMode,
                    timeoutMs);
        } finally {
            passwordText.clear();
        }
    }

    public void disconnect() {
        manager.callVoid(ManagerSlots.DISCONNECT);
    }

    public int subscribe(ConnectionSink sink) {
        return manager.callInt(ManagerSlots.SUBSCRIBE, sink.pointer());
    }

    public int unsubscribe(ConnectionSink sink) {
        return manager.callInt(ManagerSlots.UNSUBSCRIBE, sink.pointer());
    }

    public int dealSubscribe(DealSink sink) {
        return manager.callInt(ManagerSlots.DEAL_SUBSCRIBE, sink.pointer());
    }

    public int dealUnsubscribe(DealSink sink) {
        return manager.callInt(ManagerSlots.DEAL_UNSUBSCRIBE, sink.pointer());
    }

    public int positionSubscribe(PositionSink sink) {
        return manager.callInt(ManagerSlots.POSITION_SUBSCRIBE, sink.pointer());
    }

    public int positionUnsubscribe(PositionSink sink) {
        return manager.callInt(ManagerSlots.POSITION_UNSUBSCRIBE, sink.pointer());
    }

    public int userSubscribe(UserSink sink) {
        return manager.callInt(ManagerSlots.USER_SUBSCRIBE, sink.pointer());
    }

    public int userUnsubscribe(UserSink sink) {
        return manager.callInt(ManagerSlots.USER_UNSUBSCRIBE, sink.pointer());
    }

    /** A new, empty IMTUser owned by the caller; release it with its slot 0. */
    public ComObject userCreate() {
        return created(ManagerSlots.USER_CREATE, "UserCreate");
    }

    /** Fills {@code user} (made by {@link #userCreate()}) with one login, asked of the server; 13 when unknown. */
    public int userRequest(long login, ComObject user) {
        return manager.callInt(ManagerSlots.USER_REQUEST, login, user.pointer());
    }

    /** A new, empty IMTDealArray; release it with its slot 0. */
    public ComObject dealCreateArray() {
        return created(ManagerSlots.DEAL_CREATE_ARRAY, "DealCreateArray");
    }

    /** A new, empty IMTPositionArray; release it with its slot 0. */
    public ComObject positionCreateArray() {
        return created(ManagerSlots.POSITION_CREATE_ARRAY, "PositionCreateArray");
    }

    /** A new, empty IMTUserArray; release it with its slot 0. */
    public ComObject userCreateArray() {
        return created(ManagerSlots.USER_CREATE_ARRAY, "UserCreateArray");
    }

    /** Fills {@code array} with the deals of one login from {@code from} to {@code to}, server-time seconds. */
    public int dealRequest(long login, long from, long to, ComObject array) {
        array.callInt(ArraySlots.CLEAR);
        return manager.callInt(ManagerSlots.DEAL_REQUEST_BY_LOGIN, login, from, to, array.pointer());
    }

    /** Fills {@code array} with the open positions of {@code groupMask}, asked of the server. */
    public int positionRequestByGroup(String groupMask, ComObject array) {
        array.callInt(ArraySlots.CLEAR);
        return manager.callInt(ManagerSlots.POSITION_REQUEST_BY_GROUP, Utf16.text(groupMask), array.pointer());
    }

    /** Fills {@code array} with the users of {@code groupMask}, asked of the server. */
    public int userRequestArray(String groupMask, ComObject array) {
        array.callInt(ArraySlots.CLEAR);
        return manager.callInt(ManagerSlots.USER_REQUEST_ARRAY, Utf16.text(groupMask), array.pointer());
    }

    private ComObject created(int slot, String method) {
        Pointer object = manager.callPointer(slot);
        if (object == null) {
            throw new IllegalStateException(method + " returned NULL");
        }
        return new ComObject(object);
    }

    /** Fills {@code array} with the deals of {@code groupMask} from {@code from} to {@code to}, server-time seconds. */
    public int dealRequestByGroup(String groupMask, long from, long to, ComObject array) {
        array.callInt(ArraySlots.CLEAR);
        return manager.callInt(ManagerSlots.DEAL_REQUEST_BY_GROUP, Utf16.text(groupMask), from, to, array.pointer());
    }

    /**
     * A balance operation (slot 192): blocks up to the library's own timeout, so never call it from a sink callback,
     * and one at a time per connection. The library keeps at most 31 characters of {@code comment}.
     */
    public DealerAnswer dealerBalance(long login, double value, int type, String comment) {
        LongByReference ticket = new LongByReference();
        int res = manager.callInt(ManagerSlots.DEALER_BALANCE, login, value, type, Utf16.text(comment), ticket);
        return new DealerAnswer(res, ticket.getValue());
    }

    /** Destroys the manager; call after Disconnect and after every sink is unsubscribed. */
    public void release() {
        manager.callVoid(ManagerSlots.RELEASE);
    }
}

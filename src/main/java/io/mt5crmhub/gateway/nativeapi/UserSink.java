package io.mt5crmhub.gateway.nativeapi;

import java.util.List;
import java.util.function.Consumer;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * An IMTUserSink (21 slots in 3661+). Only add, update and delete matter to the hub; each copies the user and hands
 * it to {@code handoff}, which only enqueues. Every other slot is filled with a callback of its exact signature that
 * does nothing; the hooks (meant for server plugins) answer 0, as the API requires.
 */
public final class UserSink {

    private final Consumer<NativeUserChange> handoff;
    private final SinkGuard guard = new SinkGuard("user");
    private final SinkObject object;

    public UserSink(Consumer<NativeUserChange> handoff) {
        this.handoff = handoff;
        SinkCallbacks.OneObject added = (sink, user) -> deliver(Change.ADDED, user);
        SinkCallbacks.OneObject updated = (sink, user) -> deliver(Change.UPDATED, user);
        SinkCallbacks.OneObject deleted = (sink, user) -> deliver(Change.DELETED, user);
        SinkCallbacks.Login clean = (sink, login) -> { };
        SinkCallbacks.UserSession login = (sink, ip, user, type) -> { };
        SinkCallbacks.NoArgs sync = sink -> { };
        SinkCallbacks.HookOneObject hookAdd = (sink, user) -> 0;
        SinkCallbacks.HookTwoObjects hookUpdate = (sink, previous, user) -> 0;
        SinkCallbacks.HookOneObject hookDelete = (sink, user) -> 0;
        SinkCallbacks.HookUserSession hookLogin = (sink, ip, user, type) -> 0;
        SinkCallbacks.UserSession logout = (sink, ip, user, type) -> { };
        SinkCallbacks.OneObject archive = (sink, user) -> { };
        SinkCallbacks.OneObject restore = (sink, user) -> { };
        SinkCallbacks.HookOneObject hookArchive = (sink, user) -> 0;
        SinkCallbacks.HookTwoObjects hookLoginExt = (sink, user, online) -> 0;
        SinkCallbacks.TwoObjects loginExt = (sink, user, online) -> { };
        SinkCallbacks.TwoObjects logoutExt = (sink, user, online) -> { };
        SinkCallbacks.ThreeObjects addExt = (sink, user, master, investor) -> { };
        SinkCallbacks.PasswordChange changePassword = (sink, user, type, password) -> { };
        SinkCallbacks.HookThreeObjects hookAddExt = (sink, user, master, investor) -> 0;
        SinkCallbacks.HookPasswordChange hookChangePassword = (sink, user, type, password) -> 0;
        List<Callback> slots = List.of(added, updated, deleted, clean, login, sync, hookAdd, hookUpdate, hookDelete,
                hookLogin, logout, archive, restore, hookArchive, hookLoginExt, loginExt, logoutExt, addExt,
                changePassword, hookAddExt, hookChangePassword);
        this.object = new SinkObject("users", slots);
    }

    Pointer pointer() {
        return object.pointer();
    }

    public long failures() {
        return guard.failures();
    }

    private void deliver(Change change, Pointer user) {
        guard.run(() -> handoff.accept(new NativeUserChange(change, UserReader.read(user))));
    }
}

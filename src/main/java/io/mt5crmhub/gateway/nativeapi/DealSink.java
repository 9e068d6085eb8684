package io.mt5crmhub.gateway.nativeapi;

import java.util.List;
import java.util.function.Consumer;

import com.sun.jna.Pointer;

import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * An IMTDealSink (7 slots in 3661+). Each callback copies the deal and hands it to {@code handoff}, which must
 * only enqueue: the callbacks run on MT5's network thread, may not block it, and may not call back into the API.
 * The deal objects belong to the library and are never released here.
 */
public final class DealSink {

    private final Consumer<NativeDealChange> handoff;
    private final SinkGuard guard = new SinkGuard("deal");
    private final SinkObject object;

    public DealSink(Consumer<NativeDealChange> handoff, Runnable onSync) {
        this.handoff = handoff;
        SinkCallbacks.OneObject added = (sink, deal) -> deliver(Change.ADDED, deal);
        SinkCallbacks.OneObject updated = (sink, deal) -> deliver(Change.UPDATED, deal);
        SinkCallbacks.OneObject deleted = (sink, deal) -> deliver(Change.DELETED, deal);
        SinkCallbacks.Login clean = (sink, login) -> { };
        SinkCallbacks.NoArgs sync = sink -> guard.run(onSync);
        SinkCallbacks.DealPerform perform = (sink, deal, account, position) -> { };
        SinkCallbacks.DealPerformCloseBy performCloseBy = (sink, deal, closeBy, account, position) -> { };
        this.object = new SinkObject("deals", List.of(added, updated, deleted, clean, sync, perform, performCloseBy));
    }

    /** The sink object to pass to DealSubscribe. */
    Pointer pointer() {
        return object.pointer();
    }

    /** Callbacks that failed (each logged): a deal that could not be read or handed off. */
    public long failures() {
        return guard.failures();
    }

    private void deliver(Change change, Pointer deal) {
        guard.run(() -> handoff.accept(new NativeDealChange(change, DealReader.read(deal))));
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.util.List;
import java.util.function.Consumer;

import com.sun.jna.Pointer;

import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * An IMTPositionSink (5 slots). Like the {@link DealSink}: each callback copies the position and hands it to
 * {@code handoff}, which only enqueues; the position objects belong to the library and are never released here.
 */
public final class PositionSink {

    private final Consumer<NativePositionChange> handoff;
    private final SinkGuard guard = new SinkGuard("position");
    private final SinkObject object;

    public PositionSink(Consumer<NativePositionChange> handoff) {
        this.handoff = handoff;
        SinkCallbacks.OneObject added = (sink, position) -> deliver(Change.ADDED, position);
        SinkCallbacks.OneObject updated = (sink, position) -> deliver(Change.UPDATED, position);
        SinkCallbacks.OneObject deleted = (sink, position) -> deliver(Change.DELETED, position);
        SinkCallbacks.Login clean = (sink, login) -> { };
        SinkCallbacks.NoArgs sync = sink -> { };
        this.object = new SinkObject("positions", List.of(added, updated, deleted, clean, sync));
    }

    Pointer pointer() {
        return object.pointer();
    }

    public long failures() {
        return guard.failures();
    }

    private void deliver(Change change, Pointer position) {
        guard.run(() -> handoff.accept(new NativePositionChange(change, PositionReader.read(position))));
    }
}

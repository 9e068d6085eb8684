package io.mt5crmhub.gateway;

import java.time.Duration;

/**
 * An event source whose live events come from a {@link DeliveryThread}: pausing, resuming and disconnecting are
 * that thread's, the same for every gateway. A gateway supplies the worker each connect starts.
 *
 * @param <W> the gateway's worker
 */
public abstract class DeliveringEventSource<W extends DeliveryThread.Worker> implements Mt5EventSource {

    /** How long a pause or a disconnect waits for a busy worker (a slow request or listener). */
    protected static final Duration STOP_GRACE = Duration.ofSeconds(10);

    protected final DeliveryThread<W> delivery = new DeliveryThread<>(STOP_GRACE);

    /** Holds the worker between two deliveries; returns once it holds (or has stopped). */
    @Override
    public void pause() {
        delivery.pause();
    }

    @Override
    public void resume() {
        delivery.resume();
    }

    /** Stops the worker after the delivery in progress (see {@link DeliveryThread#stop()}). */
    @Override
    public void disconnect() {
        delivery.stop();
    }
}

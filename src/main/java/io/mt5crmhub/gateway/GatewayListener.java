package io.mt5crmhub.gateway;

import io.mt5crmhub.event.Mt5Event;

/** Receives what a gateway sees. Implementations only enqueue and return. */
public interface GatewayListener {

    /**
     * One live change. May block while the hub is full: this back-pressure is how a slow sink slows the
     * simulator or a polling loop down instead of filling the heap.
     */
    void onEvent(Mt5Event event) throws InterruptedException;

    void onConnected();

    void onDisconnected(String reason);
}

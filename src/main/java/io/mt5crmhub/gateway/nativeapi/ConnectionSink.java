package io.mt5crmhub.gateway.nativeapi;

import java.util.List;

import com.sun.jna.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IMTManagerSink: slot 0 is OnDisconnect and slot 2 OnConnect (not the other way round). The listener runs on
 * MT5's network thread and must only record the change.
 */
public final class ConnectionSink {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSink.class);

    /** Hears the connection come and go. */
    public interface Listener {
        void onConnect();

        void onDisconnect();
    }

    private final SinkObject object;

    public ConnectionSink(Listener listener) {
        SinkCallbacks.NoArgs disconnect = sink -> safely(listener::onDisconnect);
        SinkCallbacks.TradeAccountSet tradeAccountSet = (sink, retcode, id, user, account, orders, positions) -> { };
        SinkCallbacks.NoArgs connect = sink -> safely(listener::onConnect);
        this.object = new SinkObject("manager", List.of(disconnect, tradeAccountSet, connect));
    }

    Pointer pointer() {
        return object.pointer();
    }

    private static void safely(Runnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            LOG.warn("MT5 manager sink callback failed: {}", e.toString());
        }
    }
}

package io.mt5crmhub.gateway;

import java.time.Instant;
import java.util.List;

import io.mt5crmhub.event.Mt5Event;

/**
 * The events of one MT5 server: what every gateway provides. The component holds exactly one event source per
 * configured server and shares it between every endpoint naming that server. A gateway that can also perform
 * balance operations implements {@link Mt5Dealer} as well.
 * <p>
 * A gateway delivers live changes to its {@link GatewayListener} from its own thread (MT5's network thread,
 * a polling loop, a simulator clock). It never replays what was missed while disconnected: after each
 * (re)connect the component back-fills deals through {@link #dealHistory} and re-reads accounts and
 * positions; the duplicates this produces are absorbed downstream by the deterministic event ids.
 */
public interface Mt5EventSource {

    /** The configured server id, e.g. {@code live1}. */
    String serverId();

    /** The kind of gateway, as configured in {@code mt5.server.<id>.gateway}. */
    default String kind() {
        String name = getClass().getSimpleName();
        return name.endsWith("Gateway") ? name.substring(0, name.length() - 7).toLowerCase(java.util.Locale.ROOT) : name;
    }

    /**
     * Connects and starts delivering live events. Returns once connected; the listener hears
     * {@link GatewayListener#onConnected()} before the first live event.
     *
     * @throws GatewayException when the server cannot be reached or refuses the login
     */
    void connect(GatewayListener listener) throws GatewayException;

    /**
     * Holds live delivery (nothing is produced and nothing is lost) until {@link #resume()}. Returns once no
     * further live event will reach the listener, except when called from the listener itself.
     */
    void pause();

    void resume();

    /** Stops live delivery and releases the connection. Safe to call more than once. */
    void disconnect();

    boolean isConnected();

    /**
     * Records MT5 sent that this gateway left out of the stream because it cannot classify them (an MT5 code the
     * hub does not know), since it started. Each one is also logged; operators see the count in health.
     */
    default long skippedRecords() {
        return 0;
    }

    /**
     * Live events the gateway had to drop since it started because they came faster than the hub took them and its
     * inbox was full (a gateway fed by MT5's own thread cannot make MT5 wait). Each drop is recovered by snapshots and
     * a back-fill from the checkpoint; operators see the count in health and metrics.
     */
    default long droppedEvents() {
        return 0;
    }

    /** Where the gateway reports how long its requests to MT5 take; a gateway that sends none ignores it. */
    default void timeRequests(RequestTimer timer) {
    }

    /** Deals with {@code from <= time <= to}, oldest first (MT5 {@code DealRequestByGroup}). */
    List<Mt5Event> dealHistory(Instant from, Instant to) throws GatewayException;

    /** The current state of every login this connection may see, as {@code account.updated} events. */
    List<Mt5Event> accounts() throws GatewayException;

    /** Every open position this connection may see, as the event of its latest change. */
    List<Mt5Event> openPositions() throws GatewayException;
}

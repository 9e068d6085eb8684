package io.mt5crmhub.gateway;

import java.time.Instant;
import java.util.List;

import io.mt5crmhub.event.Mt5Event;

/**
 * Balance operations on one MT5 server and the look-ups that make them safe to repeat: what a gateway with a
 * manager's dealer rights provides besides its {@link Mt5EventSource} (the simulator, the Web API, the Manager
 * API). A replay file has no dealer.
 */
public interface Mt5Dealer {

    /** The configured server id, e.g. {@code live1}. */
    String serverId();

    /**
     * Performs a balance operation (MT5 {@code DealerBalance}). A refusal by MT5 is a result with its retcode,
     * not an exception.
     *
     * @throws RequestNotSentException when the operation provably never reached MT5: it may be sent again
     * @throws GatewayException         when the outcome is unknown (timeout, lost connection): look the deal up
     *                                  with {@link #findDeals} before ever sending again
     */
    BalanceResult balance(BalanceOrder order) throws GatewayException;

    /** The deals of {@code login} carrying exactly {@code comment}, made at or after {@code since}. */
    List<Mt5Event> findDeals(long login, String comment, Instant since) throws GatewayException;
}

package io.mt5crmhub.balance;

import java.util.Optional;

import io.mt5crmhub.gateway.Mt5Dealer;

/** The MT5 servers balance operations go to: the dealer of each configured server id. */
public interface BalanceGateways {

    /** The server's dealer when it is connected now (empty also when its gateway performs no balance operations). */
    Optional<Mt5Dealer> connected(String server);
}

package io.mt5crmhub.balance;

import java.util.Optional;

import io.mt5crmhub.gateway.Mt5Gateway;

/** The MT5 servers balance operations go to: a connected gateway per configured server id. */
public interface BalanceGateways {

    /** The server's gateway when it is connected now. */
    Optional<Mt5Gateway> connected(String server);
}

package io.mt5crmhub.gateway.conformance;

import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.simulator.SimulatorFaults;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;

/**
 * One MT5 server for the conformance suite, reached through the gateway under test: a seeded simulator engine that
 * trades by itself, whose books are the truth every answer of the gateway is compared with.
 */
interface ConformingWorld extends AutoCloseable {

    /** The gateway under test, built from configuration keys as the hub builds it; not connected yet. */
    Mt5EventSource gateway();

    /** The same gateway's balance operations. */
    default Mt5Dealer dealer() {
        return (Mt5Dealer) gateway();
    }

    /** MT5's books: where the world trades. The simulator gateway opens them on connect. */
    TradeServerSimulator books() throws GatewayException;

    /** MT5's fault switches (balance answers dropped, requests failed, connections refused). */
    SimulatorFaults faults() throws GatewayException;

    @Override
    void close();
}

package io.mt5crmhub.gateway.conformance;

import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;

/**
 * One MT5 server for the conformance suite, reached through the gateway under test: a seeded simulator engine that
 * trades by itself, whose books are the truth every answer of the gateway is compared with (the Manager API
 * stand-in is fed from such an engine).
 */
interface ConformingWorld extends AutoCloseable {

    /** The gateway under test, built from configuration keys as the hub builds it; not connected yet. */
    Mt5EventSource gateway();

    /**
     * Stops the gateway under test and builds a new one from the same keys, as a restarted hub does; from now on
     * {@link #gateway()} is the new one. MT5 itself goes on.
     */
    Mt5EventSource restartGateway();

    /** The same gateway's balance operations. */
    default Mt5Dealer dealer() {
        return (Mt5Dealer) gateway();
    }

    /** MT5's books: where the world trades. The simulator gateway opens them on connect. */
    TradeServerSimulator books() throws GatewayException;

    /**
     * Runs {@code reads} of the books and the gateway at one moment of MT5: a world whose books and answers are not
     * one (the fed stand-in) holds its trading meanwhile.
     */
    default <T> T atOneMoment(java.util.concurrent.Callable<T> reads) throws Exception {
        return reads.call();
    }

    /** MT5 performs the next balance operation but its answer never reaches the gateway. */
    void loseNextBalanceAnswer() throws GatewayException;

    @Override
    void close();
}

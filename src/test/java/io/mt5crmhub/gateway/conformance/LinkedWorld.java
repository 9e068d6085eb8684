package io.mt5crmhub.gateway.conformance;

/**
 * A {@link ConformingWorld} whose gateway reaches MT5 over a link that can be lost: the network to the Web API,
 * the Manager API's own connection. (The simulator gateway has MT5 in its own process: nothing to lose.)
 */
interface LinkedWorld extends ConformingWorld {

    /** MT5 becomes unreachable: connections drop, new ones are not answered. MT5 itself trades on. */
    void cutLink();

    /** MT5 is reachable again. */
    void restoreLink();
}

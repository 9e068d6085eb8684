package io.mt5crmhub.balance;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.gateway.simulator.SimulatorGateway;

/**
 * A connected simulator gateway for balance tests (slow generator, pinned clock), whose live events go to a
 * consumer: the role the deal stream plays in the hub.
 */
final class SimulatedMt5 implements AutoCloseable, BalanceGateways {

    static final String SERVER = "sim";

    final SimulatorGateway gateway;
    private volatile boolean reachable = true;

    SimulatedMt5(Path dataDir, Consumer<Mt5Event> liveEvents) throws GatewayException {
        Map<String, String> values = Map.of("rate", "2", "start-time", "2026-01-05T00:00:00Z",
                "data-dir", dataDir.toString(), "clients", "10");
        gateway = SimulatorGateway.create(new ServerSettings(SERVER,
                key -> Optional.ofNullable(values.get(key.substring(("mt5.server." + SERVER + ".").length())))));
        gateway.connect(new GatewayListener() {
            @Override
            public void onEvent(Mt5Event event) {
                liveEvents.accept(event);
            }

            @Override
            public void onConnected() {
            }

            @Override
            public void onDisconnected(String reason) {
            }
        });
    }

    /** A login holding at least {@code atLeast} of balance. */
    long loginWithBalance(BigDecimal atLeast) throws GatewayException {
        return gateway.accounts().stream()
                .filter(e -> e.account().balance().compareTo(atLeast) >= 0)
                .mapToLong(Mt5Event::login).findFirst().orElseThrow();
    }

    BigDecimal balanceOf(long login) throws GatewayException {
        return gateway.accounts().stream().filter(e -> e.login() == login).findFirst().orElseThrow()
                .account().balance();
    }

    int dealsWithComment(long login, String comment) throws GatewayException {
        return gateway.findDeals(login, comment, Instant.EPOCH).size();
    }

    /** Makes the server look disconnected to the balance service (the books stay open). */
    void setReachable(boolean reachable) {
        this.reachable = reachable;
    }

    @Override
    public Optional<Mt5Dealer> connected(String server) {
        return reachable && SERVER.equals(server) && gateway.isConnected() ? Optional.of(gateway) : Optional.empty();
    }

    @Override
    public void close() {
        gateway.disconnect();
    }
}

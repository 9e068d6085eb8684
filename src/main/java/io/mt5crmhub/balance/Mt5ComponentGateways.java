package io.mt5crmhub.balance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.component.Mt5Component;
import io.mt5crmhub.component.Mt5Connection;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.Mt5EventSource;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/** The balance service's MT5 servers: the mt5 component's shared connection to each configured server. */
public class Mt5ComponentGateways extends ServiceSupport implements BalanceGateways {

    private final CamelContext context;
    private final List<String> serverIds;
    private final Map<String, Mt5Connection> connections = new LinkedHashMap<>();

    public Mt5ComponentGateways(CamelContext context, List<String> serverIds) {
        this.context = context;
        this.serverIds = List.copyOf(serverIds);
    }

    @Override
    protected void doStart() throws Exception {
        Mt5Component component = context.getComponent("mt5", Mt5Component.class);
        synchronized (connections) {
            for (String id : serverIds) {
                connections.put(id, component.acquireConnection(id));
            }
        }
    }

    @Override
    protected void doStop() {
        Mt5Component component = context.getComponent("mt5", Mt5Component.class);
        synchronized (connections) {
            connections.values().forEach(component::releaseConnection);
            connections.clear();
        }
    }

    @Override
    public Optional<Mt5Dealer> connected(String server) {
        return connection(server).flatMap(Mt5Connection::dealer);
    }

    /** The server's events, for reading its accounts, when it is connected now. */
    public Optional<Mt5EventSource> connectedSource(String server) {
        return connection(server).map(Mt5Connection::source);
    }

    private Optional<Mt5Connection> connection(String server) {
        Mt5Connection connection;
        synchronized (connections) {
            connection = connections.get(server);
        }
        return connection != null && connection.isConnected() ? Optional.of(connection) : Optional.empty();
    }
}

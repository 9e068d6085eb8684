package io.mt5crmhub.gateway.conformance;

import java.nio.file.Path;
import java.util.Map;

import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.simulator.SimulatorGateway;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;

/** The {@code simulator} gateway: MT5's books in the hub's own process. */
class SimulatorConformanceTest extends GatewayConformanceTest {

    @Override
    protected ConformingWorld startWorld(Path dir, int actionsPerSecond) {
        ConfiguredGatewayFactory factory = new ConfiguredGatewayFactory(Settings.of(Map.of(
                "mt5.servers", "sim1",
                "mt5.server.sim1.gateway", "simulator",
                "mt5.server.sim1.rate", Integer.toString(actionsPerSecond),
                "mt5.server.sim1.seed", "7",
                "mt5.server.sim1.start-time", "2026-01-05T00:00:00Z",
                "mt5.server.sim1.data-dir", dir.toString())));
        return new ConformingWorld() {
            private SimulatorGateway gateway = (SimulatorGateway) factory.create("sim1");

            @Override
            public Mt5EventSource gateway() {
                return gateway;
            }

            @Override
            public Mt5EventSource restartGateway() {
                gateway.disconnect(); // closes the books; the new gateway opens them again from its data directory
                gateway = (SimulatorGateway) factory.create("sim1");
                return gateway;
            }

            @Override
            public TradeServerSimulator books() throws GatewayException {
                return gateway.simulator();
            }

            @Override
            public void loseNextBalanceAnswer() {
                gateway.faults().dropNextBalanceAnswers(1);
            }

            @Override
            public void close() {
                gateway.disconnect();
            }
        };
    }
}

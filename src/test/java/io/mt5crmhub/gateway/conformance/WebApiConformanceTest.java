package io.mt5crmhub.gateway.conformance;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;
import io.mt5crmhub.gateway.simulator.server.SimulatorServer;

/** The {@code webapi} gateway, over HTTPS to the Web API of a simulated MT5 server. */
class WebApiConformanceTest extends GatewayConformanceTest {

    @Override
    protected ConformingWorld startWorld(Path dir, int actionsPerSecond) throws Exception {
        SimulatorServer server = SimulatorServer.start("--port", "0", "--data-dir", dir.toString(), "--seed", "7",
                "--rate", Integer.toString(actionsPerSecond));
        // no start time: the Web API gateway polls MT5's recent deals, so MT5's clock must be (about) the wall clock
        Map<String, String> keys = new HashMap<>();
        keys.put("mt5.servers", "live1");
        keys.put("mt5.server.live1.gateway", "webapi");
        keys.put("mt5.server.live1.address", server.address());
        keys.put("mt5.server.live1.login", "1000");
        keys.put("mt5.server.live1.password", "Simulator-1");
        keys.put("mt5.server.live1.timezone-minutes", "0");
        keys.put("mt5.server.live1.poll-interval", "200ms");
        keys.put("mt5.server.live1.snapshot-interval", "500ms");
        keys.put("mt5.server.live1.max-requests-per-second", "200");
        server.fingerprint().ifPresentOrElse(f -> keys.put("mt5.server.live1.tls-pinned-sha256", f),
                () -> keys.put("mt5.server.live1.tls", "false"));
        Mt5EventSource gateway = new ConfiguredGatewayFactory(Settings.of(keys)).create("live1");
        return new ConformingWorld() {
            @Override
            public Mt5EventSource gateway() {
                return gateway;
            }

            @Override
            public TradeServerSimulator books() {
                return server.simulator();
            }

            @Override
            public void loseNextBalanceAnswer() {
                server.simulator().faults().dropNextBalanceAnswers(1);
            }

            @Override
            public void close() {
                gateway.disconnect();
                server.close();
            }
        };
    }
}

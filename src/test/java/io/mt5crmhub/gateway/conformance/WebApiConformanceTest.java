package io.mt5crmhub.gateway.conformance;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;
import io.mt5crmhub.gateway.simulator.server.SimulatorServer;
import io.mt5crmhub.testsupport.TcpProxy;

/** The {@code webapi} gateway, over HTTPS to the Web API of a simulated MT5 server, through a proxy that can cut it. */
class WebApiConformanceTest extends LinkedGatewayConformanceTest {

    @Override
    protected LinkedWorld startWorld(Path dir, int actionsPerSecond) throws Exception {
        SimulatorServer server = SimulatorServer.start("--port", "0", "--data-dir", dir.toString(), "--seed", "7",
                "--rate", Integer.toString(actionsPerSecond));
        TcpProxy link = new TcpProxy(Integer.parseInt(server.address().substring(server.address().lastIndexOf(':') + 1)));
        // no start time: the Web API gateway polls MT5's recent deals, so MT5's clock must be (about) the wall clock
        Map<String, String> keys = new HashMap<>();
        keys.put("mt5.servers", "live1");
        keys.put("mt5.server.live1.gateway", "webapi");
        keys.put("mt5.server.live1.address", link.address());
        keys.put("mt5.server.live1.login", "1000");
        keys.put("mt5.server.live1.password", "Simulator-1");
        keys.put("mt5.server.live1.timezone-minutes", "0");
        keys.put("mt5.server.live1.poll-interval", "200ms");
        keys.put("mt5.server.live1.snapshot-interval", "500ms");
        keys.put("mt5.server.live1.max-requests-per-second", "200");
        server.fingerprint().ifPresentOrElse(f -> keys.put("mt5.server.live1.tls-pinned-sha256", f),
                () -> keys.put("mt5.server.live1.tls", "false"));
        ConfiguredGatewayFactory factory = new ConfiguredGatewayFactory(Settings.of(keys));
        return new LinkedWorld() {
            private Mt5EventSource gateway = factory.create("live1");

            @Override
            public Mt5EventSource gateway() {
                return gateway;
            }

            @Override
            public Mt5EventSource restartGateway() {
                gateway.disconnect();
                gateway = factory.create("live1");
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
            public void cutLink() {
                link.blackHole();
            }

            @Override
            public void restoreLink() {
                link.restore();
            }

            @Override
            public void close() {
                gateway.disconnect();
                try {
                    link.close();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                server.close();
            }
        };
    }
}

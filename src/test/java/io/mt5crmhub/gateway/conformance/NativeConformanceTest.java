package io.mt5crmhub.gateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;
import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.SimulatorFedStandIn;

/**
 * The {@code native} gateway through JNA on the Manager API stand-in ({@code src/test/native}), the stand-in fed
 * change by change from a simulator's engine as MT5's network thread pushes them.
 */
class NativeConformanceTest extends LinkedGatewayConformanceTest {


    /**
     * Smaller than the shipped 100,000 so that the suite's burst overflows it and the drop-and-recover path is
     * exercised as well.
     */
    private static final int INBOX_CAPACITY = 10_000;

    @Override
    protected LinkedWorld startWorld(Path dir, int actionsPerSecond) {
        Mt5Stub.Control stub = Mt5Stub.reset();
        stub.stub_set_credentials(Mt5Stub.MANAGER, Mt5Stub.utf16(Mt5Stub.PASSWORD));
        SimulatorFedStandIn fed = SimulatorFedStandIn.start(dir, actionsPerSecond, stub);
        ConfiguredGatewayFactory factory = new ConfiguredGatewayFactory(Settings.of(Map.of(
                "mt5.servers", "live1",
                "mt5.server.live1.gateway", "native",
                "mt5.server.live1.library", Mt5Stub.library().toAbsolutePath().toString(),
                "mt5.server.live1.address", "127.0.0.1:443",
                "mt5.server.live1.login", Long.toString(Mt5Stub.MANAGER),
                "mt5.server.live1.password", Mt5Stub.PASSWORD,
                "mt5.server.live1.timeout", "5s",
                "mt5.server.live1.inbox-capacity", Integer.toString(INBOX_CAPACITY))));
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
                return fed.books();
            }

            @Override
            public <T> T atOneMoment(java.util.concurrent.Callable<T> reads) throws Exception {
                return fed.whileStill(reads);
            }

            @Override
            public void loseNextBalanceAnswer() {
                stub.stub_balance_timeout_next();
            }

            @Override
            public void cutLink() {
                stub.stub_set_reachable(0);
                stub.stub_drop_connection();
            }

            @Override
            public void restoreLink() {
                stub.stub_set_reachable(1);
                stub.stub_restore_connection();
            }

            @Override
            public void close() {
                gateway.disconnect();
                fed.close();
                assertThat(fed.failure()).as("the feed from the world").isEmpty();
                assertThat(Mt5Stub.violationCount()).as(Mt5Stub.lastViolation()).isZero();
                assertThat(Mt5Stub.trapCount()).as(Mt5Stub.lastTrap()).isZero();
            }
        };
    }
}

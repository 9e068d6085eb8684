package io.mt5crmhub.cli;

import java.util.concurrent.Callable;

import io.mt5crmhub.gateway.simulator.server.SimulatorServer;
import io.mt5crmhub.gateway.simulator.server.SimulatorServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code simulator}: a simulated MT5 trade server speaking the Web API, until SIGTERM or Ctrl-C. */
@Command(name = "simulator", description = {"A simulated MT5 trade server speaking the MT5 Web API.",
    "HTTPS with a self-signed certificate kept in the data directory; trades on its own clock until stopped"
            + " (SIGTERM or Ctrl-C)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:stopped", "1:cannot start (port, data directory)",
            "2:wrong arguments"})
final class SimulatorCommand implements Callable<Integer> {

    @Mixin
    private SimulatorServerOptions options;

    @Override
    public Integer call() {
        return SimulatorServer.run(options);
    }
}

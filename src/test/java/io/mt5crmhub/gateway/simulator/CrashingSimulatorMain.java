package io.mt5crmhub.gateway.simulator;

import java.nio.file.Path;

/**
 * Runs a simulator for some actions, then dies without closing anything (no shutdown hooks either), like a
 * killed process. Started by {@link SimulatorCrashTest} in a child JVM. Arguments: data dir, actions.
 */
public final class CrashingSimulatorMain {

    private CrashingSimulatorMain() {
    }

    public static void main(String[] args) {
        TradeServerSimulator simulator = TradeServerSimulator.open(SimTestSupport.SERVER,
                SimTestSupport.settings(Path.of(args[0])));
        long lastDeal = 0;
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            for (var event : simulator.step()) {
                if (event.deal() != null) {
                    lastDeal = event.deal().ticket();
                }
            }
        }
        System.out.println("actions=" + simulator.actionCount() + " lastDeal=" + lastDeal);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}

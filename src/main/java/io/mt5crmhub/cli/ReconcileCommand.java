package io.mt5crmhub.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.mt5crmhub.app.HubProperties;
import io.mt5crmhub.balance.BalanceRequestStore;
import io.mt5crmhub.balance.BalanceSettings;
import io.mt5crmhub.balance.Reconciliation;
import io.mt5crmhub.balance.ReconciliationReport;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.simulator.SimulatorGateway;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.StoreSettings;
import picocli.CommandLine.Command;

/**
 * {@code reconcile}: opens the hub database, asks every configured MT5 server for its accounts and prints the
 * {@link ReconciliationReport}. A simulator server's books are read as they are, without starting its generator.
 */
@Command(name = "reconcile", description = {"Compare MT5 balances with the CRM ledger; exit 1 on any difference.",
    "Asks every configured MT5 server for its accounts, compares each login's balance with the CRM ledger and"
            + " lists the unresolved balance requests. Reads application.properties and the environment like run."
            + " Shows its progress on stderr (in place on a terminal), the report on stdout."
            + " A simulator's books and an H2 file store are locked while the hub runs: reconcile those with the"
            + " hub stopped, or ask the running hub (GET /api/v1/reconciliation)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:everything agrees",
            "1:a difference (or a server could not be asked)", "2:cannot run (arguments, settings, database)"})
final class ReconcileCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        try (HubProperties properties = new HubProperties()) {
            Settings settings = Settings.of(properties::get);
            BalanceSettings balance = BalanceSettings.from(settings);
            ConfiguredGatewayFactory gateways = new ConfiguredGatewayFactory(settings);
            List<AutoCloseable> opened = new ArrayList<>();
            try (HubDatabase database = HubDatabase.open(StoreSettings.from(settings).withPoolSize(2))) {
                Reconciliation reconciliation = new Reconciliation(database.dataSource(),
                        new BalanceRequestStore(database.dataSource(), database.dialect(), Clock.systemUTC()),
                        server -> accounts(gateways.create(server), opened), gateways.serverIds(), balance.grace(),
                        Clock.systemUTC());
                ReconcileProgress progress = new ReconcileProgress(TerminalProgress.onStderr(System.err),
                        System::nanoTime);
                progress.start(gateways.serverIds().size());
                ReconciliationReport report = reconciliation.run(balance.reconcileSettle(), progress);
                progress.finish();
                System.out.print(report.toText());
                System.out.flush();
                return report.isClean() ? 0 : 1;
            } finally {
                for (AutoCloseable c : opened) {
                    c.close();
                }
            }
        } catch (Exception e) {
            System.err.println("mt5-crm-hub reconcile: " + e.getMessage());
            return 2;
        }
    }

    private static List<Mt5Event> accounts(Mt5EventSource gateway, List<AutoCloseable> opened) throws Exception {
        if (gateway instanceof SimulatorGateway sim) {
            TradeServerSimulator books = TradeServerSimulator.open(sim.serverId(), sim.settings());
            opened.add(books);
            return books.accounts();
        }
        gateway.connect(new GatewayListener() {
            @Override
            public void onEvent(Mt5Event event) {
            }

            @Override
            public void onConnected() {
            }

            @Override
            public void onDisconnected(String reason) {
            }
        });
        opened.add(gateway::disconnect);
        return gateway.accounts();
    }
}

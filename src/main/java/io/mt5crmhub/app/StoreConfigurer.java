package io.mt5crmhub.app;

import java.util.ArrayList;
import java.util.List;

import io.mt5crmhub.cluster.ClusterSettings;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.pipeline.BatchingIdempotencyGate;
import io.mt5crmhub.pipeline.ClientIdEnricher;
import io.mt5crmhub.pipeline.HubMessageIdRepository;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.JdbcStateRepository;
import io.mt5crmhub.store.LoginMap;
import io.mt5crmhub.store.ServerLeases;
import io.mt5crmhub.store.StoreSettings;

/**
 * The hub database and what lives in it for every route: opened and migrated before any route starts and closed
 * after the last one stops; the servers' leases (fenced when instances share the servers), the consumers' checkpoints,
 * the login map (seeded with demo clients for simulated
 * servers) and the clientId enricher.
 */
final class StoreConfigurer {

    /** The hub database's {@code javax.sql.DataSource}: the crm-jdbc-sink connector's default. */
    static final String DATA_SOURCE = "hubDataSource";

    private final HubBeans beans;

    StoreConfigurer(HubBeans beans) {
        this.beans = beans;
    }

    HubStore configure(StoreSettings settings, ClusterSettings cluster, ConfiguredGatewayFactory gateways)
            throws Exception {
        HubDatabase database = HubDatabase.open(settings, cluster.enabled() ? cluster.abandonedTransactionTimeout()
                : null);
        beans.closeAtStop(database);
        ServerLeases leases = cluster.enabled()
                ? ServerLeases.fenced(database.dataSource(), database.dialect(), cluster.nodeId())
                : ServerLeases.unfenced();
        LoginMap loginMap = new LoginMap(database.dataSource(), database.dialect(), settings.loginMapCacheTtl());
        new DemoLoginMapSeeder(loginMap).seedIfEmpty(gateways);
        HubStore store = new HubStore(database, new JdbcStateRepository(database.dataSource(), database.dialect(), leases),
                leases, new ArrayList<>());

        beans.bind("hubDatabase", database);
        beans.bind("hubServerLeases", leases);
        beans.bind(DATA_SOURCE, database.dataSource());
        beans.bind("hubCheckpointRepository", store.checkpoints());
        beans.bind("loginMap", loginMap);
        beans.bind("clientIdEnricher", new ClientIdEnricher(loginMap));
        return store;
    }

    /** The hub database and its checkpoints, for the configurers of the sinks. */
    /** @param gates every sink's idempotency gate, bound so far: each recovers a server its instance takes */
    record HubStore(HubDatabase database, JdbcStateRepository checkpoints, ServerLeases leases,
            List<BatchingIdempotencyGate> gates) {

        /** The idempotency keys of one CRM-side consumer (its processor name in {@code CAMEL_MESSAGEPROCESSED}). */
        HubMessageIdRepository idempotencyKeys(String processorName) {
            return new HubMessageIdRepository(database.dataSource(), database.dialect(), processorName);
        }

        /** The idempotency keys of one sink of the mt5: routes: each key fenced by its event's server. */
        HubMessageIdRepository serverIdempotencyKeys(String processorName) {
            return new HubMessageIdRepository(database.dataSource(), database.dialect(), processorName, leases);
        }

        /** Binds a fan-out's batching idempotency gate as {@code <sink>IdempotencyGate}, started with the hub. */
        void bindIdempotencyGate(HubBeans beans, String sink) throws Exception {
            BatchingIdempotencyGate gate = new BatchingIdempotencyGate(database.dataSource(), database.dialect(), sink,
                    checkpoints, leases);
            gates.add(gate);
            beans.bind(sink + "IdempotencyGate", gate);
            beans.startNow(gate::start, gate::stop);
        }
    }
}

package io.mt5crmhub.app;

import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.pipeline.BatchingIdempotencyGate;
import io.mt5crmhub.pipeline.ClientIdEnricher;
import io.mt5crmhub.pipeline.HubMessageIdRepository;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.JdbcStateRepository;
import io.mt5crmhub.store.LoginMap;
import io.mt5crmhub.store.StoreSettings;

/**
 * The hub database and what lives in it for every route: opened and migrated before any route starts and closed
 * after the last one stops; the consumers' checkpoints, the login map (seeded with demo clients for simulated
 * servers) and the clientId enricher.
 */
final class StoreConfigurer {

    /** The hub database's {@code javax.sql.DataSource}: the crm-jdbc-sink connector's default. */
    static final String DATA_SOURCE = "hubDataSource";

    private final HubBeans beans;

    StoreConfigurer(HubBeans beans) {
        this.beans = beans;
    }

    HubStore configure(StoreSettings settings, ConfiguredGatewayFactory gateways) throws Exception {
        HubDatabase database = HubDatabase.open(settings);
        beans.closeAtStop(database);
        LoginMap loginMap = new LoginMap(database.dataSource(), database.dialect(), settings.loginMapCacheTtl());
        new DemoLoginMapSeeder(loginMap).seedIfEmpty(gateways);
        HubStore store = new HubStore(database, new JdbcStateRepository(database.dataSource(), database.dialect()));

        beans.bind("hubDatabase", database);
        beans.bind(DATA_SOURCE, database.dataSource());
        beans.bind("hubCheckpointRepository", store.checkpoints());
        beans.bind("loginMap", loginMap);
        beans.bind("clientIdEnricher", new ClientIdEnricher(loginMap));
        return store;
    }

    /** The hub database and its checkpoints, for the configurers of the sinks. */
    record HubStore(HubDatabase database, JdbcStateRepository checkpoints) {

        /** The idempotency keys of one sink (its processor name in {@code CAMEL_MESSAGEPROCESSED}). */
        HubMessageIdRepository idempotencyKeys(String processorName) {
            return new HubMessageIdRepository(database.dataSource(), database.dialect(), processorName);
        }

        /** Binds a fan-out's batching idempotency gate as {@code <sink>IdempotencyGate}, started with the hub. */
        void bindIdempotencyGate(HubBeans beans, String sink) throws Exception {
            BatchingIdempotencyGate gate = new BatchingIdempotencyGate(database.dataSource(), database.dialect(), sink,
                    checkpoints);
            beans.bind(sink + "IdempotencyGate", gate);
            beans.startNow(gate::start, gate::stop);
        }
    }
}

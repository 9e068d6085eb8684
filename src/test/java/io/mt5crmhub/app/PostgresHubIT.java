package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.StoreQueries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The whole hub with PostgreSQL as its store (hub.db.url=jdbc:postgresql://...). */
class PostgresHubIT {

    @TempDir
    Path dir;

    @Test
    void theHubRunsOnPostgresAndStoresExactlyTheSimulatorsDeals() throws Exception {
        try (PostgresTestDatabase postgres = new PostgresTestDatabase()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(postgres.url());
            ds.setUser(PostgresTestDatabase.USER);
            StoreQueries store = new StoreQueries(ds);
            try (EmbeddedHub hub = new EmbeddedHub()
                    .with("mt5.server.sim.rate", "300")
                    .with("mt5.server.sim.data-dir", dir.toString())
                    .with("hub.db.url", postgres.url())
                    .with("hub.db.username", PostgresTestDatabase.USER)
                    .start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> store.count("SELECT COUNT(*) FROM crm_deal") >= 300
                        && store.count("SELECT COUNT(*) FROM crm_position") > 0);
            }

            org.h2.jdbcx.JdbcDataSource books = new org.h2.jdbcx.JdbcDataSource();
            books.setURL("jdbc:h2:file:" + dir.resolve("sim-sim"));
            books.setUser("sa");
            assertThat(store.rows("SELECT ticket FROM crm_deal ORDER BY ticket"))
                    .isEqualTo(new StoreQueries(books).rows("SELECT ticket FROM sim_deal ORDER BY ticket"));
            assertThat(store.count("SELECT COUNT(*) FROM crm_account")).isPositive();
            assertThat(store.count("SELECT COUNT(*) FROM hub_dead_letter")).isZero();
            assertThat(store.count("SELECT COUNT(*) FROM hub_checkpoint")).isPositive();
        }
    }
}

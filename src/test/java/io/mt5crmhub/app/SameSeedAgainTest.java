package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.sql.DataSource;

import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.StoreQueries;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same events fed twice through the whole pipeline: a fresh simulator with the same seed and start time
 * replays the first run's stream into the same store, which keeps exactly what it had.
 */
class SameSeedAgainTest {

    /**
     * The same start time for both runs, near the wall clock: the hub's first back-fill reads one day back from
     * now (initialBackfill), so a fixed date would leave the world's first deals out of the first run once it is
     * more than a day old.
     */
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));

    @TempDir
    Path dir;

    @Test
    void theSameSeedAgainLeavesTheStoreUnchanged() throws Exception {
        long firstRunLastTicket;
        List<List<Object>> firstRun;
        StoreQueries store = new StoreQueries(storeDataSource());
        EmbeddedHub hub = startHub("sim-a");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> store.count("SELECT COUNT(*) FROM crm_deal") >= 300);
            hub.stop();
            firstRun = store.rows("SELECT * FROM crm_deal ORDER BY ticket");
            firstRunLastTicket = ((Number) firstRun.get(firstRun.size() - 1).get(1)).longValue();
        } finally {
            hub.stop();
        }

        EmbeddedHub again = startHub("sim-b");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> store.count("SELECT COUNT(*) FROM crm_deal WHERE ticket > "
                    + (firstRunLastTicket + 100)) > 0);
            again.stop();

            assertThat(store.rows("SELECT * FROM crm_deal WHERE ticket <= " + firstRunLastTicket + " ORDER BY ticket"))
                    .isEqualTo(firstRun);
            // and it was the same stream: both simulators booked the same deals up to there
            String simDeals = "SELECT * FROM sim_deal WHERE ticket <= " + firstRunLastTicket + " ORDER BY ticket";
            assertThat(books("sim-b").rows(simDeals)).isEqualTo(books("sim-a").rows(simDeals))
                    .hasSize(firstRun.size());
            assertThat(store.count("SELECT COUNT(*) FROM hub_dead_letter")).isZero();
        } finally {
            again.stop();
        }
    }

    /** Reads the hub's H2 file alongside the running hub (both in this JVM share the open database). */
    private DataSource storeDataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(hubUrl());
        ds.setUser("sa");
        return ds;
    }

    private StoreQueries books(String simDir) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(simDir).resolve("sim-sim"));
        ds.setUser("sa");
        return new StoreQueries(ds);
    }

    private String hubUrl() {
        return "jdbc:h2:file:" + dir.resolve("hub");
    }

    private EmbeddedHub startHub(String simDir) {
        return new EmbeddedHub()
                .with("mt5.server.sim.rate", "400")
                .with("mt5.server.sim.seed", "7")
                .with("mt5.server.sim.start-time", start.toString())
                .with("mt5.server.sim.data-dir", dir.resolve(simDir).toString())
                .with("hub.db.url", hubUrl())
                .start();
    }
}

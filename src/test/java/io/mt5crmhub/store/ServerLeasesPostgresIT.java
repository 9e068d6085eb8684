package io.mt5crmhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.mt5crmhub.testsupport.FaultyDataSource;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over on PostgreSQL, where several instances really share the database: a claim waits for the former
 * owner's write in flight (the write's shared lock on the lease row), and every write of the former owner after the
 * claim's commit is refused. Concurrent claims each get their own epoch.
 */
class ServerLeasesPostgresIT {

    private PostgresTestDatabase postgres;
    private HubDatabase db;
    private ServerLeases a;
    private ServerLeases b;

    @BeforeEach
    void open() throws Exception {
        postgres = new PostgresTestDatabase();
        db = TestDatabases.postgres(postgres.url(), 8);
        a = ServerLeases.fenced(db.dataSource(), db.dialect(), "hub-a");
        b = ServerLeases.fenced(db.dataSource(), db.dialect(), "hub-b");
    }

    @AfterEach
    void close() throws Exception {
        db.close();
        postgres.close();
    }

    @Test
    void aClaimWaitsForTheWriteInFlightAndEveryLaterWriteOfTheFormerOwnerIsRefused() throws Exception {
        a.claim("live1");
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> write = threads.submit(() -> {
                try (Connection c = db.dataSource().getConnection()) {
                    return a.guarded(c, "live1", conn -> {
                        checked.countDown();
                        await(finish);
                        return insert(conn, "live1:in-flight");
                    });
                }
            });
            assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Long> claim = threads.submit(() -> b.claim("live1"));
            assertThatThrownBy(() -> claim.get(1, TimeUnit.SECONDS)).as("the claim waits for the write")
                    .isInstanceOf(TimeoutException.class);
            finish.countDown();
            assertThat(write.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(claim.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        } finally {
            threads.shutdownNow();
        }
        try (Connection c = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> a.guarded(c, "live1", conn -> insert(conn, "live1:late")))
                    .isInstanceOf(FencedException.class);
        }
        assertThat(keys()).containsExactly("live1:in-flight");
    }

    @Test
    void concurrentClaimsEachGetTheirOwnEpochAndTheLastOneOwns() throws Exception {
        List<ServerLeases> instances = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            instances.add(ServerLeases.fenced(db.dataSource(), db.dialect(), "hub-" + i));
        }
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<Long>> claims = new ArrayList<>();
        try {
            for (ServerLeases instance : instances) {
                claims.add(threads.submit(() -> instance.claim("live1")));
            }
            List<Long> epochs = new ArrayList<>();
            for (Future<Long> claim : claims) {
                epochs.add(claim.get(20, TimeUnit.SECONDS));
            }
            assertThat(epochs).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
            ServerLeases last = instances.get(epochs.indexOf(6L));
            int allowed = 0;
            for (ServerLeases instance : instances) {
                try (Connection c = db.dataSource().getConnection()) {
                    instance.guarded(c, "live1", conn -> insert(conn, "live1:" + instance.instanceId()));
                    allowed++;
                } catch (FencedException e) {
                    // the others
                }
            }
            assertThat(allowed).isEqualTo(1);
            assertThat(keys()).containsExactly("live1:" + last.instanceId());
        } finally {
            threads.shutdownNow();
        }
    }

    private static boolean insert(Connection c, String key) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("INSERT INTO hub_checkpoint (checkpoint_key, checkpoint_value, updated_at)"
                + " VALUES (?, 'x', CURRENT_TIMESTAMP)")) {
            ps.setString(1, key);
            return ps.executeUpdate() == 1;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> keys() throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT checkpoint_key FROM hub_checkpoint ORDER BY checkpoint_key")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    /** A fenced write whose connection the server ends (a restart) fails as an outage, whatever the rollback answers. */
    @Test
    void aWriteWhoseConnectionTheServerEndsFailsAsAnOutage() throws Exception {
        a.claim("live1");
        FaultyDataSource terminated = new FaultyDataSource(db.dataSource());
        terminated.terminateEachConnection(postgres.url());

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (Connection c = terminated.getConnection()) {
                a.guarded(c, "live1", conn -> insert(conn, "live1:cut-off"));
            }
        });

        assertThat(failure).isNotNull();
        assertThat(DatabaseFailures.isUnavailable(failure)).as("%s", failure).isTrue();
    }

    /**
     * An instance frozen mid-write (a long GC pause, a stalled VM) holds the lease row's shared lock: with the
     * clustered pool, PostgreSQL ends its idle transaction and the other instance's claim goes through; the frozen
     * write, when it wakes, fails as an outage (retried, then refused by the fence), and wrote nothing.
     */
    @Test
    void aClaimIsNotHeldUpByTheWriteOfAnInstanceFrozenMidTransaction() throws Exception {
        try (HubDatabase clustered = HubDatabase.open(new StoreSettings(postgres.url(), PostgresTestDatabase.USER, "",
                4, Duration.ZERO), Duration.ofSeconds(1))) {
            ServerLeases frozen = ServerLeases.fenced(clustered.dataSource(), clustered.dialect(), "hub-a");
            ServerLeases taker = ServerLeases.fenced(clustered.dataSource(), clustered.dialect(), "hub-b");
            frozen.claim("live1");
            CountDownLatch checked = new CountDownLatch(1);
            CountDownLatch wake = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<Boolean> write = threads.submit(() -> {
                    try (Connection c = clustered.dataSource().getConnection()) {
                        return frozen.guarded(c, "live1", conn -> {
                            checked.countDown();
                            await(wake); // frozen between the fence's check and its write
                            return insert(conn, "live1:frozen");
                        });
                    }
                });
                assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
                long t0 = System.nanoTime();
                assertThat(threads.submit(() -> taker.claim("live1")).get(20, TimeUnit.SECONDS)).isEqualTo(2);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the claim waited for the idle timeout only")
                        .isLessThan(Duration.ofSeconds(15));
                wake.countDown();
                Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> write.get(10, TimeUnit.SECONDS));
                assertThat(failure).isNotNull();
                assertThat(DatabaseFailures.isUnavailable(failure)).as("%s", failure).isTrue();
            } finally {
                wake.countDown();
                threads.shutdownNow();
            }
            assertThat(keys()).doesNotContain("live1:frozen");
        }
    }
}

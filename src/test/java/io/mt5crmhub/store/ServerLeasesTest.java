package io.mt5crmhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two hub instances sharing one database take one MT5 server in turn: each claim raises the epoch, and from a claim's
 * commit on the former owner's writes of that server are refused, counted and reported, while its other servers
 * are untouched.
 */
class ServerLeasesTest {

    private final HubDatabase db = TestDatabases.h2InMemory(4);
    private final ServerLeases a = ServerLeases.fenced(db.dataSource(), db.dialect(), "hub-a");
    private final ServerLeases b = ServerLeases.fenced(db.dataSource(), db.dialect(), "hub-b");

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void eachClaimRaisesTheEpochAndFencesOutTheFormerOwner() throws Exception {
        List<FencedException> heardByA = new CopyOnWriteArrayList<>();
        a.onFenced(heardByA::add);

        assertThat(a.claim("live1")).isEqualTo(1);
        assertThat(a.claim("live2")).isEqualTo(1);
        assertThat(writeAs(a, "live1")).isTrue();

        assertThat(b.claim("live1")).isEqualTo(2);
        assertThat(b.stored("live1")).get().satisfies(lease -> {
            assertThat(lease.owner()).isEqualTo("hub-b");
            assertThat(lease.epoch()).isEqualTo(2);
        });
        assertThatThrownBy(() -> writeAs(a, "live1")).isInstanceOf(FencedException.class)
                .hasMessageContaining("server live1 is no longer owned by hub instance hub-a")
                .hasMessageContaining("held epoch 1, the database has 2 of hub-b");
        assertThat(heardByA).singleElement().satisfies(fenced -> assertThat(fenced.serverId()).isEqualTo("live1"));
        assertThat(a.heldEpoch("live1")).isEmpty();
        assertThat(writeAs(a, "live2")).as("its other server").isTrue();
        assertThat(writeAs(b, "live1")).isTrue();

        assertThatThrownBy(() -> writeAs(a, "live1")).isInstanceOf(FencedException.class);
        assertThat(a.refusedWrites("live1")).isEqualTo(2);
        assertThat(countRows()).as("only the owners' writes landed").isEqualTo(3);

        assertThat(a.claim("live1")).as("taken back").isEqualTo(3);
        assertThatThrownBy(() -> writeAs(b, "live1")).isInstanceOf(FencedException.class);
        assertThat(writeAs(a, "live1")).isTrue();
    }

    @Test
    void aServerNeverClaimedRefusesEveryWriteAndAReleasedOneToo() throws Exception {
        assertThatThrownBy(() -> writeAs(a, "live9")).isInstanceOf(FencedException.class)
                .hasMessageContaining("held epoch none, the database has none");
        a.claim("live1");
        a.release("live1");
        assertThatThrownBy(() -> writeAs(a, "live1")).isInstanceOf(FencedException.class);
    }

    @Test
    void withOneInstanceNothingIsCheckedOrStored() throws Exception {
        ServerLeases single = ServerLeases.unfenced();
        assertThat(single.claim("live1")).isZero();
        assertThat(writeAs(single, "live1")).isTrue();
        assertThat(single.stored("live1")).isEmpty();
    }

    @Test
    void aRefusedWriteRollsBackWhatItDidBeforeTheCheckToo() throws Exception {
        b.claim("live1");
        try (Connection c = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> a.guarded(c, "live1", conn -> {
                throw new AssertionError("the write must not run");
            })).isInstanceOf(FencedException.class);
            assertThat(c.getAutoCommit()).isTrue();
        }
    }

    /** One checkpoint row, written as {@code leases}' instance would write state of {@code server}. */
    private boolean writeAs(ServerLeases leases, String server) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            return leases.guarded(c, server, conn -> {
                try (var ps = conn.prepareStatement("INSERT INTO hub_checkpoint (checkpoint_key, checkpoint_value,"
                        + " updated_at) VALUES (?, 'x', CURRENT_TIMESTAMP)")) {
                    ps.setString(1, server + ":" + System.nanoTime());
                    return ps.executeUpdate() == 1;
                }
            });
        }
    }

    private long countRows() throws Exception {
        try (Connection c = db.dataSource().getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM hub_checkpoint")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

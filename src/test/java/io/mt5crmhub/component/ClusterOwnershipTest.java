package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.Mt5TestContext;
import io.mt5crmhub.testsupport.StubEventSource;
import io.mt5crmhub.testsupport.ZooKeeperTestServer;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two hub instances (two contexts) share one MT5 server through a real ZooKeeper: exactly one reads it; when that one
 * stops, is fenced, or loses ZooKeeper, it stops reading at once, and the other takes the server after raising the
 * fence (the claims, in order, are those of a single owner at a time).
 */
class ClusterOwnershipTest {

    private static ZooKeeperTestServer zookeeper;

    private final String basePath = "/mt5hub-" + UUID.randomUUID();
    private final List<String> claims = new CopyOnWriteArrayList<>();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicReference<String> clusterProblem = new AtomicReference<>();

    @BeforeAll
    static void startZooKeeper() {
        zookeeper = new ZooKeeperTestServer();
    }

    @AfterAll
    static void stopZooKeeper() {
        zookeeper.close();
    }

    @Test
    void oneInstanceReadsTheServerAndAnotherTakesItWhenTheOwnerStops() throws Exception {
        StubEventSource mt5A = mt5();
        StubEventSource mt5B = mt5();
        try (Mt5TestContext a = instance("hub-a", mt5A); Mt5TestContext b = instance("hub-b", mt5B)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> mt5A.connects() + mt5B.connects() == 1);
            await("never two readers").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> connected(mt5A, mt5B) == 1 && mt5A.connects() + mt5B.connects() == 1);
            boolean aOwns = mt5A.isConnected();
            Mt5TestContext owner = aOwns ? a : b;
            Mt5TestContext other = aOwns ? b : a;
            StubEventSource otherMt5 = aOwns ? mt5B : mt5A;
            String ownerId = aOwns ? "hub-a" : "hub-b";
            String otherId = aOwns ? "hub-b" : "hub-a";
            assertThat(stateOf(owner).state()).isEqualTo("owner");
            assertThat(stateOf(owner).epoch()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> ownerId.equals(stateOf(other).leaderId()));
            assertThat(stateOf(other).state()).isEqualTo("standby");
            assertThat(owner.mock("mock:deals").getReceivedCounter()).isEqualTo(2);

            long t0 = System.nanoTime();
            owner.close();
            await().atMost(Duration.ofSeconds(15)).until(otherMt5::isConnected);
            System.out.printf("failover after a graceful stop: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(stateOf(other).state()).isEqualTo("owner");
            assertThat(stateOf(other).epoch()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> other.mock("mock:deals").getReceivedCounter() == 2);
            assertThat(claims).containsExactly("claim x " + ownerId + " 1", "release x " + ownerId,
                    "claim x " + otherId + " 2");
        }
    }

    @Test
    void aFencedOwnerStopsReadingAtOnceAndTheOtherInstanceTakesTheServer() throws Exception {
        StubEventSource mt5A = mt5();
        StubEventSource mt5B = mt5();
        try (Mt5TestContext a = instance("hub-a", mt5A); Mt5TestContext b = instance("hub-b", mt5B)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> connected(mt5A, mt5B) == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(a).leaderId() != null
                    && stateOf(a).leaderId().equals(stateOf(b).leaderId()));
            boolean aOwns = mt5A.isConnected();
            Mt5TestContext owner = aOwns ? a : b;
            StubEventSource ownerMt5 = aOwns ? mt5A : mt5B;
            StubEventSource otherMt5 = aOwns ? mt5B : mt5A;

            owner.component().ownership().orElseThrow().fenced("x", "a write of x was refused");
            await().atMost(Duration.ofSeconds(5)).until(() -> !ownerMt5.isConnected());
            await().atMost(Duration.ofSeconds(15)).until(otherMt5::isConnected);
            assertThat(ownerMt5.isConnected()).isFalse();
            assertThat(stateOf(owner).state()).isIn("fenced", "standby");
            assertThat(claims).hasSize(3).last().asString().endsWith(" 2");
        }
    }

    @Test
    void anOwnerThatLosesTheClusterServiceStopsReadingUntilItIsBack() throws Exception {
        StubEventSource mt5A = mt5();
        try (Mt5TestContext a = instance("hub-a", mt5A)) {
            await().atMost(Duration.ofSeconds(20)).until(mt5A::isConnected);
            clusterProblem.set("ZooKeeper unreachable");
            await().atMost(Duration.ofSeconds(5)).until(() -> !mt5A.isConnected());
            assertThat(stateOf(a).state()).isEqualTo("paused");
            assertThat(stateOf(a).reason()).isEqualTo("ZooKeeper unreachable");

            clusterProblem.set(null);
            await().atMost(Duration.ofSeconds(10)).until(mt5A::isConnected);
            assertThat(stateOf(a).state()).isEqualTo("owner");
            assertThat(claims).containsExactly("claim x hub-a 1", "release x hub-a", "claim x hub-a 2");
        }
    }

    @Test
    void theInstanceStartedFirstHandsServersOverUntilEachOwnsItsShare() throws Exception {
        StubEventSource ax = mt5("x");
        StubEventSource ay = mt5("y");
        StubEventSource bx = mt5("x");
        StubEventSource by = mt5("y");
        try (Mt5TestContext a = instance("hub-a", ax, ay)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> ax.isConnected() && ay.isConnected());
            try (Mt5TestContext b = instance("hub-b", bx, by)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> connected(ax, ay) == 1 && connected(bx, by) == 1);
                await("each server read by one instance, and no more moves").during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5)).until(() -> connected(ax, ay) == 1 && connected(bx, by) == 1
                                && ax.isConnected() != bx.isConnected() && ay.isConnected() != by.isConnected());
                assertThat(claims).as("one hand-over").hasSize(4);
            }
        }
    }

    private Mt5TestContext instance(String id, StubEventSource... mt5) throws Exception {
        ZooKeeperClusterService cluster = new ZooKeeperClusterService();
        cluster.setId(id);
        cluster.setNodes(zookeeper.connectString());
        cluster.setBasePath(basePath);
        cluster.setSessionTimeout(4000);
        cluster.setConnectTimeout(5000);
        Mt5TestContext context = new Mt5TestContext();
        for (StubEventSource server : mt5) {
            context.source(server);
        }
        return context.cluster(cluster, new Mt5ServerClaims() {
            @Override
            public long claim(String serverId) {
                long next = epoch.incrementAndGet();
                claims.add("claim " + serverId + " " + id + " " + next);
                return next;
            }

            @Override
            public void released(String serverId) {
                claims.add("release " + serverId + " " + id);
            }
        }, clusterProblem::get).routes(rb -> rb.from("mt5:deals").routeId("deals").to("mock:deals")).start();
    }

    private static StubEventSource mt5() {
        return mt5("x");
    }

    private static StubEventSource mt5(String server) {
        return new StubEventSource(server).live(new Mt5Event[] {
                EventSamples.deposit(server, 1_000_001, 50001, "1.00", "a"),
                EventSamples.deposit(server, 1_000_002, 50001, "2.00", "b") });
    }

    private static int connected(StubEventSource... sources) {
        int n = 0;
        for (StubEventSource source : sources) {
            n += source.isConnected() ? 1 : 0;
        }
        return n;
    }

    private static ClusterOwnership.ServerState stateOf(Mt5TestContext instance) {
        return instance.component().ownership().orElseThrow().states().get(0);
    }
}

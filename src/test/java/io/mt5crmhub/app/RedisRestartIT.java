package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.RedisServerProcess;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What docs/routes-and-connectors.md#redis-streams says Redis's own failures do to the stream, on a redis-server of
 * the test's own: killed and restarted with its AOF, and full under {@code noeviction}.
 */
class RedisRestartIT {

    private static final String STREAM = "restart.deals";

    @TempDir
    Path dir;

    @Test
    void aRedisKilledMidStreamAndRestartedWithItsAofHasEveryEventOnceInOrder() throws Exception {
        List<Mt5Event> events = deposits(20_000, "");
        try (RedisServerProcess redis = RedisServerProcess.persistent(dir);
                JedisPooled client = new JedisPooled(redis.uri());
                EmbeddedHub hub = hub(redis.uri(), events)) {
            HealthCheck check = HealthCheckRegistry.get(hub.context()).getCheck("redis").orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.xlen(STREAM) >= 2_000);

            long before = client.xlen(STREAM);
            redis.kill();
            assertThat(before).as("killed while the stream was being written").isLessThan(events.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> check.call().getState() == HealthCheck.State.DOWN);
            redis.start();

            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> client.xlen(STREAM) >= events.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> check.call().getState() == HealthCheck.State.UP);
            assertInOrderOnce(eventIds(client), events);
        }
    }

    @Test
    void aFullRedisUnderNoevictionHoldsTheStreamWithHealthDownUntilItHasMemoryAgain() throws Exception {
        List<Mt5Event> events = deposits(6_000, "x".repeat(400));
        try (RedisServerProcess redis = RedisServerProcess.inMemory(dir, "--maxmemory", "3mb",
                "--maxmemory-policy", "noeviction");
                JedisPooled client = new JedisPooled(redis.uri());
                EmbeddedHub hub = hub(redis.uri(), events)) {
            HealthCheck check = HealthCheckRegistry.get(hub.context()).getCheck("redis").orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> check.call().getState() == HealthCheck.State.DOWN);
            assertThat(check.call().getMessage()).hasValueSatisfying(m -> assertThat(m).contains("OOM"));
            long held = client.xlen(STREAM);
            assertThat(held).as("entries before Redis was full").isPositive().isLessThan(events.size());
            // stays DOWN while full, whatever the pings say
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(20))
                    .until(() -> check.call().getState() == HealthCheck.State.DOWN && client.xlen(STREAM) == held);

            client.configSet("maxmemory", "0");

            await().atMost(Duration.ofSeconds(120)).until(() -> client.xlen(STREAM) >= events.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> check.call().getState() == HealthCheck.State.UP);
            assertInOrderOnce(eventIds(client), events);
        }
    }

    private static void assertInOrderOnce(List<String> added, List<Mt5Event> events) {
        List<String> expected = events.stream().map(Mt5Event::eventId).toList();
        assertThat(added).as("no event twice").doesNotHaveDuplicates();
        assertThat(new java.util.HashSet<>(expected)).as("no event missing").containsAll(added);
        assertThat(added).as("every event").hasSameSizeAs(expected);
        assertThat(added).as("in the order MT5 made them").isEqualTo(expected);
    }

    private static List<Mt5Event> deposits(int count, String comment) {
        List<Mt5Event> events = new ArrayList<>(count);
        for (long t = 1; t <= count; t++) {
            events.add(EventSamples.deposit("rr", 6_000_000 + t, 50001 + t % 5, "1.00", comment));
        }
        return events;
    }

    private EmbeddedHub hub(String uri, List<Mt5Event> events) throws Exception {
        Path file = EventSamples.writeJsonl(dir.resolve("rr.jsonl"), events.stream().map(EventSamples::json).toList());
        return new EmbeddedHub()
                .replay("rr", file)
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                .with("hub.crm.store.enabled", "false")
                .with("hub.redis.uri", uri)
                .with("hub.redis.stream.deals", STREAM)
                .with("hub.redis.stream.positions", "restart.positions")
                .with("hub.redis.stream.accounts", "restart.accounts")
                .start();
    }

    private static List<String> eventIds(JedisPooled client) {
        return client.xrange(STREAM, "-", "+").stream().map(StreamEntry::getFields).map(f -> f.get("eventId"))
                .toList();
    }
}

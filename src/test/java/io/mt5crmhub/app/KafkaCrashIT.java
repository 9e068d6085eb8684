package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.HubProcess;
import io.mt5crmhub.testsupport.KafkaTestBroker;
import io.mt5crmhub.testsupport.KafkaTestBroker.Read;
import io.mt5crmhub.testsupport.SimulatorProcess;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged hub killed (SIGKILL) mid-stream while it writes to a real KRaft broker in this JVM, then started again:
 * what docs/routes-and-connectors.md#kafka promises a read_committed consumer. Every event arrives at least once,
 * nothing of an aborted or unfinished transaction is read, a repeat carries the same eventId header (deduplicated by
 * it, the consumer has each event exactly once), and each login's events come in order by their first copies.
 */
class KafkaCrashIT {

    private static final String SERVER = "k1";
    private static final int EVENTS = 4_000;
    private static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start(Map.of("auto.create.topics.enable", "false"));
        for (String entity : List.of("deals", "positions", "accounts")) {
            broker.createTopic("crash." + entity, 3);
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theHubKilledMidStreamAndStartedAgainDeliversEveryEventAtLeastOnceWithItsEventId() throws Exception {
        List<Mt5Event> events = new ArrayList<>();
        for (long t = 1; t <= EVENTS; t++) {
            events.add(EventSamples.deposit(SERVER, 9_000_000 + t, 60001 + t % 20, "1.00", ""));
        }
        Path dir = HubProcess.prepareWorkDir("kafka-crash");
        Path file = EventSamples.writeJsonl(dir.resolve(SERVER + ".jsonl"),
                events.stream().map(EventSamples::json).toList());
        int port = SimulatorProcess.freePort();

        int beforeKill;
        try (HubProcess hub = hub(dir, port, file).start()) {
            awaitOrShow(hub, Duration.ofSeconds(180), () -> broker.readCommitted("crash.deals").size() >= 1_000);
            beforeKill = broker.readCommitted("crash.deals").size();
        } // close() is SIGKILL: no graceful stop, a transaction left open, the checkpoint and safe point behind
        int writtenAtKill = broker.readUncommitted("crash.deals").size();

        List<Read> records;
        try (HubProcess hub = hub(dir, port, file).start()) {
            awaitOrShow(hub, Duration.ofSeconds(240), () -> eventIds(broker.readCommitted("crash.deals")).size()
                    == EVENTS);
            records = broker.readCommitted("crash.deals");
            hub.terminate();
            assertThat(hub.awaitExit(Duration.ofSeconds(60))).as(hub.output()).isZero();
        }

        Set<String> expected = new HashSet<>(events.stream().map(Mt5Event::eventId).toList());
        assertThat(eventIds(records)).as("every event at least once, and nothing else").isEqualTo(expected);
        assertThat(records).as("the eventId header names the record's event").allSatisfy(r -> {
            Mt5Event event = EventJson.read(r.value());
            assertThat(r.eventId()).isEqualTo(event.eventId());
            assertThat(r.key()).isEqualTo(SERVER + ":" + event.login());
        });
        assertThat(firstCopiesByLogin(records)).as("each login's events in order, by their first copies")
                .isEqualTo(firstCopiesByLogin(events.stream().map(EventSamples::json).toList()));
        int repeats = records.size() - EVENTS;
        System.out.printf("kafka crash | SIGKILL after %d committed (%d written incl. the open transaction)"
                + " | after the restart %d committed records for %d events: %d repeats, deduplicated by eventId%n",
                beforeKill, writtenAtKill, records.size(), EVENTS, repeats);
    }

    private static HubProcess hub(Path dir, int port, Path file) {
        return new HubProcess(dir, port)
                .env("MT5_SERVERS", SERVER)
                .env("MT5_SERVER_K1_GATEWAY", "replay")
                .env("MT5_SERVER_K1_FILE", file.toString())
                .env("MT5_SERVER_K1_RATE", "200")
                .env("HUB_CRM_STORE_ENABLED", "false")
                .env("HUB_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers())
                .env("HUB_KAFKA_TOPIC_DEALS", "crash.deals")
                .env("HUB_KAFKA_TOPIC_POSITIONS", "crash.positions")
                .env("HUB_KAFKA_TOPIC_ACCOUNTS", "crash.accounts")
                .env("HUB_KAFKA_BATCH_SIZE", "100");
    }

    private static void awaitOrShow(HubProcess hub, Duration atMost, Callable<Boolean> done) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(done);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the hub's output:\n" + hub.output(), e);
        }
    }

    private static Set<String> eventIds(List<Read> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(r.eventId()));
        return ids;
    }

    /** Each key's event ids in the order of their first copy (records are by partition then offset). */
    private static Map<String, List<String>> firstCopiesByLogin(List<?> recordsOrJson) {
        Map<String, LinkedHashSet<String>> byKey = new LinkedHashMap<>();
        for (Object item : recordsOrJson) {
            Mt5Event event = EventJson.read(item instanceof Read r ? r.value() : (String) item);
            byKey.computeIfAbsent(event.server() + ":" + event.login(), k -> new LinkedHashSet<>())
                    .add(event.eventId());
        }
        Map<String, List<String>> lists = new TreeMap<>();
        byKey.forEach((key, ids) -> lists.put(key, List.copyOf(ids)));
        return lists;
    }
}

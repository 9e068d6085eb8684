package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import com.rabbitmq.client.GetResponse;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.rabbitmq.RabbitTestBroker;
import org.junit.jupiter.api.Test;

/**
 * The reliability suite: the packaged hub (webapi gateway, CRM store and RabbitMQ fan-out) against the simulator
 * running as a separate MT5 server that keeps trading whatever happens to the hub. Each scenario ends with both
 * sides settled and prints one summary line (produced by MT5, delivered, duplicates absorbed, lost); it fails on
 * any loss, and on any deal applied twice to the store.
 */
class FaultSuiteIT {

    @Test
    void theHubKilledThreeTimesMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path hubDir = HubProcess.prepareWorkDir("fault-sigkill");
        int port = SimulatorProcess.freePort();
        try (RabbitTestBroker broker = new RabbitTestBroker();
             SimulatorProcess mt5 = new SimulatorProcess(hubDir.resolve("mt5"), port).start("--rate", "40")) {
            String queue = broker.queueFor("live1.deal.#");
            for (int kill = 1; kill <= 3; kill++) {
                try (HubProcess hub = hub(hubDir, mt5).start()) {
                    await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
                    long published = hub.routeExchangesSucceeded("rabbitmq-deals");
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> hub.routeExchangesSucceeded("rabbitmq-deals") > published + 5);
                    // somewhere mid-stream: with events queued, in flight and unconfirmed
                    Thread.sleep(500 + random.nextInt(3_000));
                } // close() is SIGKILL: no graceful stop, no last checkpoint
            }
            List<Long> books;
            try (HubProcess hub = hub(hubDir, mt5).start()) {
                await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
                books = WebApiHubs.settle(hub, hubDir, mt5);
                await().atMost(Duration.ofSeconds(30)).until(() -> broker.count(queue) >= books.size());
            }

            List<Long> stored = WebApiHubs.storedTickets(hubDir);
            Map<String, Integer> copies = new HashMap<>();
            Set<Long> published = new TreeSet<>();
            for (GetResponse message : broker.drain(queue)) {
                Mt5Event event = EventJson.read(message.getBody());
                assertThat(message.getProps().getMessageId()).isEqualTo(event.eventId());
                copies.merge(event.eventId(), 1, Integer::sum);
                if (EventType.DEAL_ADDED.equals(event.type())) {
                    published.add(event.deal().ticket());
                }
            }
            int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
            Set<Long> lostFromStore = new TreeSet<>(books);
            lostFromStore.removeAll(stored);
            Set<Long> lostFromQueue = new TreeSet<>(books);
            lostFromQueue.removeAll(published);
            System.out.printf("fault suite | SIGKILL x3 (seed %d) | produced by MT5 %d deals | in the store %d |"
                    + " published %d | duplicates absorbed by message_id %d | lost: store %d, queue %d%n", seed,
                    books.size(), stored.size(), published.size(), duplicates, lostFromStore.size(),
                    lostFromQueue.size());

            assertThat(lostFromStore).as("deals lost from the CRM store").isEmpty();
            assertThat(lostFromQueue).as("deals never published to RabbitMQ").isEmpty();
            assertThat(stored).as("each deal applied once to the store").doesNotHaveDuplicates().isEqualTo(books);
            assertThat(published).as("no deal the simulator did not make").isEqualTo(new TreeSet<>(books));
        }
    }

    private static HubProcess hub(Path hubDir, SimulatorProcess mt5) throws Exception {
        return WebApiHubs.hub(hubDir, 18195, mt5).env("HUB_RABBITMQ_URI", RabbitTestBroker.URI);
    }
}

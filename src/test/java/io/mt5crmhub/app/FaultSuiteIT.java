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
            Map<String, Integer> copies = new HashMap<>();
            Set<Long> published = new TreeSet<>();
            for (int kill = 1; kill <= 3; kill++) {
                try (HubProcess hub = hub(hubDir, mt5).start()) {
                    await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
                    long routed = hub.routeExchangesSucceeded("rabbitmq-deals");
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> hub.routeExchangesSucceeded("rabbitmq-deals") > routed + 5);
                    // somewhere mid-stream: with events queued, in flight and unconfirmed
                    Thread.sleep(500 + random.nextInt(3_000));
                } // close() is SIGKILL: no graceful stop, no last checkpoint
            }
            List<Long> books;
            HubProcess.CommandRun reconcile;
            try (HubProcess hub = hub(hubDir, mt5).start()) {
                await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
                books = WebApiHubs.settle(hub, hubDir, mt5, tickets -> {
                    tally(broker.drain(queue), copies, published);
                    return published.containsAll(tickets);
                });
                // MT5's balances (the idle simulator, through the gateway) against the CRM ledger in the store
                reconcile = hub.env("HUB_BALANCE_RECONCILE_SETTLE_SECONDS", "0").command("reconcile");
            }

            tally(broker.drain(queue), copies, published);
            List<Long> stored = WebApiHubs.storedTickets(hubDir);
            int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
            Set<Long> lostFromStore = new TreeSet<>(books);
            lostFromStore.removeAll(stored);
            Set<Long> lostFromQueue = new TreeSet<>(books);
            lostFromQueue.removeAll(published);
            System.out.printf("fault suite | SIGKILL x3 (seed %d) | produced by MT5 %d deals | in the store %d |"
                    + " published %d | duplicates absorbed by message_id %d | lost: store %d, queue %d%n", seed,
                    books.size(), stored.size(), published.size(), duplicates, lostFromStore.size(),
                    lostFromQueue.size());

            System.out.println("fault suite | reconcile after SIGKILL x3 | exit " + reconcile.exitCode() + "\n"
                    + reconcile.output().lines().filter(l -> !l.contains(" INFO ") && !l.contains(" WARN "))
                            .reduce((a, b) -> a + "\n" + b).orElse(""));
            assertThat(reconcile.exitCode()).as("reconcile after the crashes:%n%s", reconcile.output()).isZero();
            assertThat(lostFromStore).as("deals lost from the CRM store").isEmpty();
            assertThat(lostFromQueue).as("deals never published to RabbitMQ").isEmpty();
            assertThat(stored).as("each deal applied once to the store").doesNotHaveDuplicates().isEqualTo(books);
            assertThat(published).as("no deal the simulator did not make").isEqualTo(new TreeSet<>(books));
        }
    }

    /** Counts each message's copies by message_id and collects the tickets of the deals added. */
    private static void tally(List<GetResponse> messages, Map<String, Integer> copies, Set<Long> published) {
        for (GetResponse message : messages) {
            Mt5Event event = EventJson.read(message.getBody());
            assertThat(message.getProps().getMessageId()).isEqualTo(event.eventId());
            copies.merge(event.eventId(), 1, Integer::sum);
            if (EventType.DEAL_ADDED.equals(event.type())) {
                published.add(event.deal().ticket());
            }
        }
    }

    private static HubProcess hub(Path hubDir, SimulatorProcess mt5) throws Exception {
        return WebApiHubs.hub(hubDir, 18195, mt5).env("HUB_RABBITMQ_URI", RabbitTestBroker.URI);
    }
}

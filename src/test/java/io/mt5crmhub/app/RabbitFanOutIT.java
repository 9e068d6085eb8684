package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import com.rabbitmq.client.GetResponse;
import io.mt5crmhub.component.Mt5Consumer;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.RabbitTestBroker;
import io.mt5crmhub.testsupport.StoreQueries;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's RabbitMQ fan-out against the real broker: no upstream duplicate doubles, a restart loses nothing. */
class RabbitFanOutIT {

    @TempDir
    Path dir;
    @AutoClose
    private final RabbitTestBroker broker = RabbitTestBroker.connect();

    @Test
    void duplicatesInjectedUpstreamNeverReachAQueueTwice() throws Exception {
        String server = RabbitTestBroker.uniqueServerId("dup");
        String queue = broker.queueFor(server + ".#");
        List<Mt5Event> distinct = new ArrayList<>();
        for (long t = 1; t <= 200; t++) {
            distinct.add(EventSamples.deposit(server, 1_000_000 + t, 50001 + t % 7, "5.00", "d" + t));
        }
        distinct.add(EventSamples.account(server, 50001, "1000.00", EventSamples.T0.plusSeconds(10)));
        distinct.add(EventSamples.position(server, EventType.POSITION_ADDED, 5_000_001, 50001, "1", "0", EventSamples.T0));
        List<Mt5Event> stream = new ArrayList<>(distinct);
        stream.addAll(distinct.subList(0, 150)); // redelivered
        stream.addAll(distinct.subList(100, 202)); // and again, out of order
        Collections.shuffle(stream, new Random(5));
        Path file = EventSamples.writeJsonl(dir.resolve("dups.jsonl"), stream.stream().map(EventSamples::json).toList());

        try (EmbeddedHub hub = new EmbeddedHub()
                .with("mt5.servers", server)
                .with("mt5.server." + server + ".gateway", "replay")
                .with("mt5.server." + server + ".file", file.toString())
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                .with("hub.rabbitmq.uri", RabbitTestBroker.URI)
                .start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.count(queue) >= distinct.size()
                    && idle(hub, "rabbitmq-deals", "rabbitmq-accounts", "rabbitmq-positions"));
        }

        List<GetResponse> messages = broker.drain(queue);
        assertThat(messages).extracting(m -> m.getProps().getMessageId())
                .containsExactlyInAnyOrderElementsOf(distinct.stream().map(Mt5Event::eventId).toList());
    }

    @Test
    void aBrokerRestartInTheMiddleOfAStreamLosesNothing() throws Exception {
        String server = RabbitTestBroker.uniqueServerId("rst");
        String queue = broker.queueFor(server + ".deal.#");
        try (EmbeddedHub hub = new EmbeddedHub()
                .with("mt5.servers", server)
                .with("mt5.server." + server + ".rate", "300")
                .with("mt5.server." + server + ".data-dir", dir.toString())
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                .with("hub.rabbitmq.uri", RabbitTestBroker.URI)
                .start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.count(queue) >= 200);

            RabbitTestBroker.restartBroker(2_000);

            // the test's own connection recovers by itself a moment after the broker
            long afterRestart = await().ignoreExceptions().until(() -> broker.count(queue), c -> true);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> broker.count(queue) >= afterRestart + 300);
        }

        Set<String> published = new HashSet<>();
        int duplicates = 0;
        for (GetResponse m : broker.drain(queue)) {
            if (!published.add(m.getProps().getMessageId())) {
                duplicates++;
            }
        }
        Set<String> produced = new HashSet<>();
        for (List<Object> row : books(server).rows("SELECT ticket FROM sim_deal")) {
            produced.add(server + ":deal:" + row.get(0) + ":added");
        }
        System.out.printf("broker restart: %d deals produced, %d published, %d duplicates from re-publishing%n",
                produced.size(), published.size(), duplicates);
        assertThat(published).as("every deal the simulator booked reached the queue").isEqualTo(produced);
    }

    private StoreQueries books(String server) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("sim-" + server));
        ds.setUser("sa");
        return new StoreQueries(ds);
    }

    private static boolean idle(EmbeddedHub hub, String... routes) {
        for (String route : routes) {
            if (((Mt5Consumer) hub.context().getRoute(route).getConsumer()).getPendingExchangesSize() > 0) {
                return false;
            }
        }
        return hub.context().getInflightRepository().size() == 0;
    }
}

package io.mt5crmhub.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.rabbitmq.client.GetResponse;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;

/**
 * One scenario of the fault suite: the simulator server trading on its own, the packaged hub feeding the CRM
 * store, RabbitMQ and (if asked) a REST CRM, and the accounting at the end: what MT5 made against what each sink
 * holds, duplicates absorbed, losses, and {@code reconcile}. {@link #settleAndReport} prints one summary line and
 * fails on any loss or double apply.
 */
public final class FaultRun implements AutoCloseable {

    private final String name;
    private final Path hubDir;
    private final SimulatorProcess mt5;
    private final RabbitTestBroker broker;
    private final String queue;
    private final int httpPort = SimulatorProcess.freePort();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, Integer> copies = new HashMap<>();
    private final Set<Long> published = new TreeSet<>();
    private PostgresTestDatabase postgres;
    private WireMockServer restCrm;
    private TcpProxy proxy;
    private String heap = "512m";

    private FaultRun(String name, int rate) throws Exception {
        this.name = name;
        this.hubDir = HubProcess.prepareWorkDir("fault-" + name);
        this.broker = new RabbitTestBroker();
        this.queue = broker.queueFor("live1.deal.#");
        this.mt5 = new SimulatorProcess(hubDir.resolve("mt5"), SimulatorProcess.freePort());
        mt5.start("--rate", Integer.toString(rate));
    }

    /** The simulator server trading at {@code rate} actions a second, and the RabbitMQ queue the test reads. */
    public static FaultRun start(String name, int rate) throws Exception {
        return new FaultRun(name, rate);
    }

    /** The hub's database on PostgreSQL (a schema of its own) instead of H2. */
    public FaultRun withPostgres() throws Exception {
        postgres = new PostgresTestDatabase();
        return this;
    }

    /** A REST CRM (WireMock) answering 200 until told otherwise; the CRM store stays on. */
    public FaultRun withRestCrm() {
        restCrm = new WireMockServer(wireMockConfig().dynamicPort());
        restCrm.start();
        restCrm.stubFor(post(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200)));
        return this;
    }

    /** The hub reaches MT5 through a {@link TcpProxy} the test can cut. */
    public FaultRun withProxy() {
        proxy = new TcpProxy(Integer.parseInt(mt5.address().substring(mt5.address().lastIndexOf(':') + 1)));
        return this;
    }

    public FaultRun env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public FaultRun heap(String maxHeap) {
        this.heap = maxHeap;
        return this;
    }

    public Path hubDir() {
        return hubDir;
    }

    public SimulatorProcess mt5() {
        return mt5;
    }

    public TcpProxy proxy() {
        return proxy;
    }

    public WireMockServer restCrm() {
        return restCrm;
    }

    public HubProcess hub() throws Exception {
        HubProcess hub = WebApiHubs.hub(hubDir, httpPort, mt5).heap(heap).env("HUB_RABBITMQ_URI", RabbitTestBroker.URI);
        if (proxy != null) {
            hub.env("MT5_SERVER_LIVE1_ADDRESS", proxy.address());
        }
        if (postgres != null) {
            hub.env("HUB_DB_URL", postgres.url()).env("HUB_DB_USERNAME", PostgresTestDatabase.USER);
        }
        if (restCrm != null) {
            hub.env("HUB_CRM_REST_URL", restCrm.baseUrl() + "/mt5/events");
        }
        env.forEach(hub::env);
        return hub;
    }

    /** Starts the hub and waits until it is UP and publishing deals. */
    public HubProcess startFlowing() throws Exception {
        HubProcess hub = hub().start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(hub::isHealthUp);
            awaitFlowing(hub);
        } catch (RuntimeException | Error e) {
            hub.close(); // not yet the caller's to close: a hub left running takes the next tests' queue messages
            throw e;
        }
        return hub;
    }

    /** Waits until the hub publishes more deals than it had. */
    public static void awaitFlowing(HubProcess hub) {
        long routed = hub.routeExchangesSucceeded("rabbitmq-deals");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> hub.routeExchangesSucceeded("rabbitmq-deals") > routed + 5);
    }

    /**
     * Settles both sides (the simulator stops trading; the hub catches up, then stops), runs {@code reconcile},
     * prints the scenario's summary line and fails on any loss, any deal stored twice or a reconcile difference.
     */
    public void settleAndReport(HubProcess hub, String scenario) throws Exception {
        List<Long> books;
        try {
            books = WebApiHubs.settle(hub, mt5, tickets -> {
                tally(broker.drain(queue));
                return storedTickets().containsAll(tickets) && published.containsAll(tickets)
                        && (restCrm == null || restTickets().containsAll(tickets));
            });
        } catch (AssertionError notSettled) {
            throw new AssertionError(scenario + ": " + whatIsMissing() + "\n" + notSettled.getMessage(), notSettled);
        }
        HubProcess.CommandRun reconcile = hub.env("HUB_BALANCE_RECONCILE_SETTLE_SECONDS", "0").command("reconcile");
        tally(broker.drain(queue));
        List<Long> stored = storedTickets();
        int queueDuplicates = copies.values().stream().mapToInt(n -> n - 1).sum();

        StringBuilder line = new StringBuilder("fault suite | ").append(scenario)
                .append(" | produced by MT5 ").append(books.size()).append(" deals")
                .append(" | in the store ").append(stored.size())
                .append(" | published ").append(published.size())
                .append(", duplicates absorbed by message_id ").append(queueDuplicates);
        Set<Long> lostFromRest = Set.of();
        if (restCrm != null) {
            Map<String, Integer> posts = restPostsByKey();
            lostFromRest = missing(books, restTickets());
            line.append(" | REST CRM ").append(restTickets().size()).append(", repeated Idempotency-Keys ")
                    .append(posts.values().stream().mapToInt(n -> n - 1).sum());
        }
        Set<Long> lostFromStore = missing(books, stored);
        Set<Long> lostFromQueue = missing(books, published);
        line.append(" | lost: store ").append(lostFromStore.size()).append(", queue ").append(lostFromQueue.size());
        if (restCrm != null) {
            line.append(", REST ").append(lostFromRest.size());
        }
        line.append(" | reconcile exit ").append(reconcile.exitCode());
        System.out.println(line);

        assertThat(reconcile.exitCode()).as("reconcile after %s:%n%s", scenario, reconcile.output()).isZero();
        assertThat(lostFromStore).as("deals lost from the CRM store").isEmpty();
        assertThat(lostFromQueue).as("deals never published to RabbitMQ").isEmpty();
        assertThat(lostFromRest).as("deals the REST CRM never took").isEmpty();
        assertThat(stored).as("each deal applied once to the store").doesNotHaveDuplicates().isEqualTo(books);
        assertThat(published).as("no deal the simulator did not make").isEqualTo(new TreeSet<>(books));
    }

    public List<Long> storedTickets() throws Exception {
        return postgres == null ? WebApiHubs.storedTickets(hubDir)
                : WebApiHubs.storedTickets(postgres.url(), PostgresTestDatabase.USER);
    }

    /** Counts each message's copies by message_id and collects the tickets of the deals added. */
    private void tally(List<GetResponse> messages) {
        for (GetResponse message : messages) {
            Mt5Event event = EventJson.read(message.getBody());
            assertThat(message.getProps().getMessageId()).isEqualTo(event.eventId());
            copies.merge(event.eventId(), 1, Integer::sum);
            if (EventType.DEAL_ADDED.equals(event.type())) {
                published.add(event.deal().ticket());
            }
        }
    }

    /** The tickets of the deals the REST CRM answered with a 2xx. */
    private Set<Long> restTickets() {
        Set<Long> tickets = new TreeSet<>();
        for (ServeEvent served : accepted()) {
            Mt5Event event = EventJson.read(served.getRequest().getBody());
            if (EventType.DEAL_ADDED.equals(event.type())) {
                tickets.add(event.deal().ticket());
            }
        }
        return tickets;
    }

    /** Accepted posts by Idempotency-Key: above 1, the CRM was sent again what it had already taken. */
    private Map<String, Integer> restPostsByKey() {
        Map<String, Integer> posts = new HashMap<>();
        for (ServeEvent served : accepted()) {
            posts.merge(served.getRequest().getHeader("Idempotency-Key"), 1, Integer::sum);
        }
        return posts;
    }

    private List<ServeEvent> accepted() {
        return restCrm.getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() >= 200 && e.getResponse().getStatus() < 300).toList();
    }

    /** Which deals of the books have not reached the store or the queue, and where the hub's checkpoints stand. */
    private String whatIsMissing() {
        StringBuilder text = new StringBuilder();
        try {
            mt5.stop(); // its books are read from its files
            List<Long> books = mt5.bookTickets();
            Set<Long> notStored = missing(books, storedTickets());
            Set<Long> notPublished = missing(books, published);
            text.append(books.size()).append(" deals in the books; not in the store ").append(notStored.size())
                    .append(" ").append(notStored.stream().limit(10).toList())
                    .append("; never published ").append(notPublished.size()).append(" ")
                    .append(notPublished.stream().limit(10).toList());
            if (postgres != null) {
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(postgres.url(),
                        PostgresTestDatabase.USER, "");
                     java.sql.ResultSet rs = c.createStatement().executeQuery(
                             "SELECT checkpoint_key, checkpoint_value FROM hub_checkpoint ORDER BY 1")) {
                    text.append("; checkpoints:");
                    while (rs.next()) {
                        text.append(' ').append(rs.getString(1)).append('=').append(rs.getString(2));
                    }
                }
            }
        } catch (Exception e) {
            text.append(" (could not tell what is missing: ").append(e).append(')');
        }
        return text.toString();
    }

    private static Set<Long> missing(List<Long> books, java.util.Collection<Long> delivered) {
        Set<Long> missing = new TreeSet<>(books);
        missing.removeAll(delivered);
        return missing;
    }

    @Override
    public void close() throws Exception {
        mt5.close();
        if (proxy != null) {
            proxy.close();
        }
        if (restCrm != null) {
            restCrm.stop();
        }
        broker.close();
        if (postgres != null) {
            postgres.close();
        }
    }
}

package io.mt5crmhub.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mt5crmhub.config.Durations;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.pipeline.ExchangeEvents;
import io.mt5crmhub.pipeline.Reachability;
import io.mt5crmhub.pipeline.RejectedEventsException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mt5-kafka-sink connector's step: writes the exchange's events (one or a list) to a topic per entity, the events
 * of each MT5 server in one Kafka transaction under that server's transactional id ({@link ServerWriter}), on the
 * route's own thread; the exchange completes only after the commit returned.
 * <p>
 * Why kafka-clients and not camel-kafka's producer (camel-kafka 4.17.0 is on the classpath and brings this client):
 * its producer has one transactional id per endpoint, begins a transaction per exchange and commits it in a unit of
 * work synchronization after the route is done, so a failed commit never reaches the route's error policy (no retry
 * in order, no dead letter); it closes its producer on any {@code KafkaException} (a timeout while the broker is away
 * included) and never opens another, so the endpoint stays broken until restarted; it calls
 * {@code initTransactions()} when it starts, so a broker away at start fails the route's start; and a list with one
 * record the broker refuses fails whole. Per-server transactional producers over lists, each failure sorted into
 * fenced, refused alone or try again, are a small class on the client itself, as the Redis sink is on Jedis.
 * <p>
 * Kafka away or not answering fails the exchange with nothing committed, for the route's error policy to retry in
 * order ({@link KafkaUnavailableException}); events whose topic cannot be written (missing with auto-creation off,
 * not authorised) or that the broker refused alone fail only themselves, named as undelivered with the broker's
 * answer, for the dead letters ({@link RejectedEventsException}); a fenced server fails every list of that server with
 * {@link KafkaFencedException} and writes nothing more. The health check is DOWN while the brokers cannot be reached
 * (an admin call every few seconds finds out even while no event flows) and while any server is fenced.
 */
public class KafkaTransactionalPublisher extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransactionalPublisher.class);
    private static final long PING_EVERY_MS = 5_000;

    private CamelContext camelContext;
    private String bootstrapServers;
    private final Map<EntityType, String> topics = new EnumMap<>(EntityType.class);
    private String transactionalIdPrefix = "mt5hub-kafka-";
    private Duration timeout = Duration.ofSeconds(15);
    private String clientConfig;
    private ClientProperties clientProperties;

    private Admin admin;
    private EventRecords records;
    private TopicCheck topicCheck;
    private final Map<String, ServerWriter> writers = new ConcurrentHashMap<>();
    private ScheduledExecutorService pinger;
    private KafkaHealthCheck healthCheck;
    private Reachability reachability = new Reachability(LOG, "Kafka");

    @Override
    public void process(Exchange exchange) throws Exception {
        if (records == null) {
            throw new IllegalStateException("the Kafka sink has no bootstrap servers (hub.kafka.bootstrap-servers):"
                    + " it is off");
        }
        List<Mt5Event> events = ExchangeEvents.of(exchange);
        Map<String, List<Mt5Event>> byServer = new LinkedHashMap<>();
        for (Mt5Event event : events) {
            byServer.computeIfAbsent(event.server(), s -> new ArrayList<>()).add(event);
        }
        Map<Mt5Event, String> refused = new LinkedHashMap<>();
        for (Map.Entry<String, List<Mt5Event>> server : byServer.entrySet()) {
            try {
                refused.putAll(writerOf(server.getKey()).write(server.getValue()));
            } catch (KafkaUnavailableException e) {
                topicCheck.forget();
                markUnreachable(e.getMessage());
                throw e;
            }
        }
        markReachable();
        if (!refused.isEmpty()) {
            Map<String, String> reasons = new LinkedHashMap<>();
            refused.forEach((event, reason) -> reasons.put(event.eventId(), reason));
            ExchangeEvents.setUndelivered(exchange, List.copyOf(refused.keySet()));
            throw new RejectedEventsException(reasons.size() + " of " + events.size() + " events refused by Kafka: "
                    + reasons.values().iterator().next(), reasons);
        }
    }

    private ServerWriter writerOf(String serverId) {
        return writers.computeIfAbsent(serverId, id -> new ServerWriter(id, transactionalIdPrefix + id,
                this::producer, records, topicCheck, timeout));
    }

    private Producer<byte[], byte[]> producer(String transactionalId) {
        return new KafkaProducer<>(clientProperties.producer(bootstrapServers, transactionalId, timeout));
    }

    @Override
    protected void doStart() throws Exception {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            LOG.debug("Kafka sink has no bootstrap servers: it stays off");
            return;
        }
        reachability = new Reachability(LOG, "Kafka " + bootstrapServers);
        clientProperties = ClientProperties.load(clientConfig);
        admin = Admin.create(clientProperties.admin(bootstrapServers, transactionalIdPrefix + "admin", timeout));
        records = new EventRecords(topics);
        topicCheck = new TopicCheck(admin, timeout);
        pinger = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "kafka-ping");
        pinger.scheduleWithFixedDelay(this::ping, 0, PING_EVERY_MS, TimeUnit.MILLISECONDS);
        healthCheck = new KafkaHealthCheck(this);
        healthCheck.setCamelContext(camelContext);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (admin == null) {
            return;
        }
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null && healthCheck != null) {
            registry.unregister(healthCheck);
        }
        camelContext.getExecutorServiceManager().shutdown(pinger);
        writers.values().forEach(ServerWriter::close);
        writers.clear();
        admin.close(timeout);
        admin = null;
        records = null;
    }

    private void ping() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            markReachable();
        } catch (java.util.concurrent.ExecutionException e) {
            markUnreachable(KafkaFailures.describe(e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
            markUnreachable("no answer from " + bootstrapServers + " within " + Durations.format(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            markUnreachable(e.toString());
        }
    }

    private void markReachable() {
        reachability.reached();
    }

    private void markUnreachable(String message) {
        reachability.lost(message);
    }

    /**
     * The MT5 servers whose Kafka writes stopped on this hub because the broker fenced their producer (another hub
     * initialised the same transactional id). Sticky until the hub restarts.
     */
    public Set<String> fencedServers() {
        Set<String> fenced = new TreeSet<>();
        writers.forEach((server, writer) -> {
            if (writer.fenced() != null) {
                fenced.add(server);
            }
        });
        return fenced;
    }

    /** What each fenced server's writer said when it was fenced. */
    List<String> fencings() {
        List<String> fencings = new ArrayList<>();
        for (String server : fencedServers()) {
            fencings.add(writers.get(server).fenced());
        }
        return fencings;
    }

    boolean isReachable() {
        return reachability.isReachable();
    }

    String problem() {
        return reachability.problem();
    }

    Instant stateSince() {
        return reachability.since();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public void setDealsTopic(String topic) {
        topics.put(EntityType.DEAL, topic);
    }

    public void setPositionsTopic(String topic) {
        topics.put(EntityType.POSITION, topic);
    }

    public void setAccountsTopic(String topic) {
        topics.put(EntityType.ACCOUNT, topic);
    }

    /** The transactional id of server {@code <id>} is this prefix followed by the id. */
    public void setTransactionalIdPrefix(String prefix) {
        this.transactionalIdPrefix = prefix;
    }

    /** A Kafka client properties file (security, tuning) under the hub's own settings; blank: none. */
    public void setClientConfig(String file) {
        this.clientConfig = file;
    }

    /** How long one Kafka call may block (connect, metadata, commit), e.g. {@code 15s}. */
    public void setTimeout(String timeout) {
        Duration parsed = Durations.parse(timeout);
        if (parsed.toMillis() < 100) {
            throw new IllegalArgumentException("timeout must be at least 100ms, not " + timeout);
        }
        this.timeout = parsed;
    }
}

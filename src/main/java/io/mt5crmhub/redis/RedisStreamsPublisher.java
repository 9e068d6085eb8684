package io.mt5crmhub.redis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mt5crmhub.config.Durations;
import io.mt5crmhub.config.Secrets;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The redis-streams-sink connector's step: appends the exchange's events (one or a list) to a stream per entity,
 * each once ({@link StreamAppender}), on the route's own thread. Redis away or refusing the script as a whole fails the
 * exchange with nothing known delivered, for the route's error policy to retry in order (sending a list again is
 * safe); an entry a stream refused (a key of another type, say) fails only its event, named as undelivered with
 * Redis's answer, for the dead letters. While Redis cannot be reached the health check is DOWN: a ping every few
 * seconds finds out even while no event flows.
 */
public class RedisStreamsPublisher extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsPublisher.class);
    private static final long PING_EVERY_MS = 5_000;

    private CamelContext camelContext;
    private String uri;
    private final Map<EntityType, String> streams = new EnumMap<>(EntityType.class);
    private long maxLen = 1_000_000;
    private Duration dedupeTtl = Duration.ofHours(24);
    private int timeoutMs = 5_000;

    private JedisPooled redis;
    private StreamAppender appender;
    private ScheduledExecutorService pinger;
    private RedisHealthCheck healthCheck;
    private Reachability reachability = new Reachability(LOG, "Redis");
    /** Why Redis refuses the writes while it answers pings (out of memory, read-only): cleared by a list it takes. */
    private volatile String refusal;
    private volatile Instant refusalSince = Instant.now();

    @Override
    public void process(Exchange exchange) throws Exception {
        if (appender == null) {
            throw new IllegalStateException("the Redis Streams sink has no URI (hub.redis.uri): it is off");
        }
        List<Mt5Event> events = ExchangeEvents.of(exchange);
        StreamAppender.Outcome outcome;
        try {
            outcome = appender.append(redis, events);
        } catch (JedisDataException e) {
            markRefusing(e);
            throw new RedisUnavailableException("Redis did not take " + events.size() + " events: " + e.getMessage(),
                    e);
        } catch (JedisException e) {
            markUnreachable(e);
            throw new RedisUnavailableException("Redis did not take " + events.size() + " events: " + e.getMessage(),
                    e);
        }
        markReachable();
        markTaking();
        if (!outcome.refused().isEmpty()) {
            Map<String, String> reasons = new LinkedHashMap<>();
            outcome.refused().forEach((event, reason) -> reasons.put(event.eventId(), reason));
            ExchangeEvents.setUndelivered(exchange, List.copyOf(outcome.refused().keySet()));
            throw new RejectedEventsException(reasons.size() + " of " + events.size() + " events refused by Redis: "
                    + reasons.values().iterator().next(), reasons);
        }
    }

    @Override
    protected void doStart() throws Exception {
        if (uri == null || uri.isBlank()) {
            LOG.debug("Redis Streams sink has no URI: it stays off");
            return;
        }
        appender = new StreamAppender(streams, maxLen, dedupeTtl.toSeconds());
        reachability = new Reachability(LOG, "Redis " + Secrets.maskUrl(uri));
        redis = new JedisPooled(URI.create(uri), timeoutMs);
        pinger = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "redis-ping");
        pinger.scheduleWithFixedDelay(this::ping, 0, PING_EVERY_MS, TimeUnit.MILLISECONDS);
        healthCheck = new RedisHealthCheck(this);
        healthCheck.setCamelContext(camelContext);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (redis == null) {
            return;
        }
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null && healthCheck != null) {
            registry.unregister(healthCheck);
        }
        camelContext.getExecutorServiceManager().shutdown(pinger);
        redis.close();
        redis = null;
        appender = null;
    }

    private void ping() {
        try {
            redis.ping();
            markReachable();
        } catch (JedisException | IllegalStateException e) {
            markUnreachable(e);
        }
    }

    private void markReachable() {
        reachability.reached();
    }

    private void markUnreachable(Exception e) {
        reachability.lost(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private void markRefusing(JedisDataException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (refusal == null || !refusal.equals(message)) {
            LOG.warn("Redis {} refuses the writes: {}", Secrets.maskUrl(uri), message);
            refusalSince = Instant.now();
        }
        refusal = message;
    }

    private void markTaking() {
        if (refusal != null) {
            refusal = null;
            refusalSince = Instant.now();
            LOG.info("Redis {} takes the writes again", Secrets.maskUrl(uri));
        }
    }

    /** Why Redis refuses the writes though it answers, or null. */
    String refusal() {
        return refusal;
    }

    boolean isReachable() {
        return reachability.isReachable();
    }

    String problem() {
        return reachability.problem();
    }

    /** Since when the state the health check reports holds: a refusal's, or reachability's. */
    Instant stateSince() {
        return refusal != null ? refusalSince : reachability.since();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public void setDealsStream(String stream) {
        streams.put(EntityType.DEAL, stream);
    }

    public void setPositionsStream(String stream) {
        streams.put(EntityType.POSITION, stream);
    }

    public void setAccountsStream(String stream) {
        streams.put(EntityType.ACCOUNT, stream);
    }

    /** Entries a stream keeps, about ({@code MAXLEN ~}); 0 keeps every entry. */
    public void setMaxLen(long maxLen) {
        if (maxLen < 0) {
            throw new IllegalArgumentException("maxLen must be 0 (no trimming) or more, not " + maxLen);
        }
        this.maxLen = maxLen;
    }

    /** How long an event's dedupe key lives, e.g. {@code 24h}. */
    public void setDedupeTtl(String ttl) {
        Duration parsed = Durations.parse(ttl);
        if (parsed.toSeconds() < 1) {
            throw new IllegalArgumentException("dedupeTtl must be at least 1s, not " + ttl);
        }
        this.dedupeTtl = parsed;
    }

    public void setTimeout(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }
}

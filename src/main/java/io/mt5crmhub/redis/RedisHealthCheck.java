package io.mt5crmhub.redis;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** DOWN while the Redis Streams sink cannot reach Redis or Redis refuses its writes; says why and since when. */
public class RedisHealthCheck extends AbstractHealthCheck {

    private final RedisStreamsPublisher publisher;

    RedisHealthCheck(RedisStreamsPublisher publisher) {
        super("hub", "redis");
        this.publisher = publisher;
    }

    @Override
    public boolean isLiveness() {
        return false; // a Redis outage makes the hub not ready, it does not make it dead
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("redis.since", publisher.stateSince().toString());
        String refusal = publisher.refusal();
        if (!publisher.isReachable()) {
            builder.down().message("Redis is not reachable: " + publisher.problem());
        } else if (refusal != null) {
            builder.down().message("Redis refuses the writes: " + refusal);
        } else {
            builder.up();
        }
    }
}

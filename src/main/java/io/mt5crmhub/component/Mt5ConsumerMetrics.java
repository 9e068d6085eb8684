package io.mt5crmhub.component;

import java.util.List;

import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;

/**
 * Each mt5: consumer's figures per server as Micrometer meters, beside Camel's route metrics on {@code
 * /observe/metrics}, tagged with the route and the server: its backlog ({@code mt5_consumer_held_events} in memory
 * against {@code mt5_consumer_bound_events}, {@code mt5_consumer_overflowed_events} on disk, {@code
 * mt5_consumer_lag_seconds}), what its sink did ({@code mt5_consumer_delivered_events_total}, {@code
 * _dead_lettered_events_total}, {@code _failed_events_total}) and, for deals, {@code mt5_consumer_checkpoint_age_seconds}.
 */
final class Mt5ConsumerMetrics {

    private final HubMeters meters;

    private Mt5ConsumerMetrics(HubMeters meters) {
        this.meters = meters;
    }

    static Mt5ConsumerMetrics register(CamelContext context, String routeId, List<Mt5Feed> feeds) {
        HubMeters meters = HubMeters.of(context);
        for (Mt5Feed feed : feeds) {
            Tags tags = Tags.of("routeId", routeId, "server", feed.serverId());
            meters.gauge("mt5.consumer.held", "events", "events held in memory, queued or in flight", tags, feed,
                    Mt5Feed::held);
            meters.gauge("mt5.consumer.bound", "events", "the most events the consumer holds in memory", tags, feed,
                    Mt5Feed::bound);
            meters.gauge("mt5.consumer.overflowed", "events", "events waiting on disk for a sink that lags", tags, feed,
                    Mt5Feed::overflowed);
            meters.gauge("mt5.consumer.lag", "seconds", "how long the oldest event waiting has waited", tags, feed,
                    Mt5Feed::lagSeconds);
            meters.counter("mt5.consumer.delivered", "events", "events the sink took", tags, feed,
                    f -> f.outcomes().delivered());
            meters.counter("mt5.consumer.dead.lettered", "events", "events the route's error policy dead-lettered",
                    tags, feed, f -> f.outcomes().deadLettered());
            meters.counter("mt5.consumer.failed", "events", "events whose exchange failed (read again from MT5)", tags,
                    feed, f -> f.outcomes().failed());
            if (feed.storesCheckpoints()) {
                meters.gauge("mt5.consumer.checkpoint.age", "seconds",
                        "how far behind the wall clock the stored deal checkpoint is", tags, feed,
                        Mt5Feed::checkpointAgeSeconds);
            }
        }
        return new Mt5ConsumerMetrics(meters);
    }

    void remove() {
        meters.remove();
    }
}

package io.mt5crmhub.component;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * Each mt5: consumer's backlog per server as Micrometer gauges, beside Camel's route metrics on {@code
 * /observe/metrics}: {@code mt5_consumer_held_events} (in memory), {@code mt5_consumer_overflowed_events} (on disk)
 * and {@code mt5_consumer_lag_seconds} (how long the oldest waiting event has waited), tagged with the route and
 * the server. Nothing is registered when the context has no meter registry (camel-micrometer off).
 */
final class Mt5ConsumerMetrics {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    private Mt5ConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static Mt5ConsumerMetrics register(CamelContext context, String routeId, List<Mt5Feed> feeds) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        Mt5ConsumerMetrics metrics = new Mt5ConsumerMetrics(registry);
        if (registry != null) {
            for (Mt5Feed feed : feeds) {
                metrics.gauge("mt5.consumer.held", "events", "events held in memory, queued or in flight", routeId,
                        feed, Mt5Feed::held);
                metrics.gauge("mt5.consumer.overflowed", "events", "events waiting on disk for a sink that lags",
                        routeId, feed, Mt5Feed::overflowed);
                metrics.gauge("mt5.consumer.lag", "seconds", "how long the oldest event waiting has waited", routeId,
                        feed, Mt5Feed::lagSeconds);
            }
        }
        return metrics;
    }

    private void gauge(String name, String unit, String description, String routeId, Mt5Feed feed,
            ToDoubleFunction<Mt5Feed> value) {
        meters.add(Gauge.builder(name, feed, value).baseUnit(unit).description(description).tag("routeId", routeId)
                .tag("server", feed.serverId()).strongReference(true).register(registry));
    }

    void remove() {
        for (Meter meter : meters) { // none without a registry
            registry.remove(meter);
        }
        meters.clear();
    }
}

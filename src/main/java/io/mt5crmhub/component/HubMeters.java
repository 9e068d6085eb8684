package io.mt5crmhub.component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

/**
 * The meters one part of the hub registers on the context's registry, removed together when it stops. Every value
 * is read from a figure its owner publishes without a lock, so a scrape never waits for the pipeline. Without a
 * registry (camel-micrometer off) nothing is registered.
 */
public final class HubMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    private HubMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public static HubMeters of(CamelContext context) {
        return new HubMeters(context.getRegistry().findSingleByType(MeterRegistry.class));
    }

    /** A value that goes up and down, read at each scrape. */
    public <T> void gauge(String name, String unit, String description, Tags tags, T source, ToDoubleFunction<T> value) {
        if (registry != null) {
            meters.add(Gauge.builder(name, source, value).baseUnit(unit).description(description).tags(tags)
                    .strongReference(true).register(registry));
        }
    }

    /** A count that only grows, read at each scrape. */
    public <T> void counter(String name, String unit, String description, Tags tags, T source,
            ToDoubleFunction<T> value) {
        if (registry != null) {
            meters.add(FunctionCounter.builder(name, source, value).baseUnit(unit).description(description)
                    .tags(tags).register(registry));
        }
    }

    /** A timer, or null without a registry. */
    public Timer timer(String name, String description, Tags tags) {
        if (registry == null) {
            return null;
        }
        Timer timer = Timer.builder(name).description(description).tags(tags).register(registry);
        meters.add(timer);
        return timer;
    }

    public void remove() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
    }
}

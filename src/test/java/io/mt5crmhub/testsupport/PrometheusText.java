package io.mt5crmhub.testsupport;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;

/** The Prometheus text of a scrape, read the way an alert rule reads it: a sample by name and labels. */
public final class PrometheusText {

    private final List<String> samples = new ArrayList<>();

    public PrometheusText(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(line.strip());
            }
        }
    }

    /** A scrape of the context's Prometheus registry, as {@code /observe/metrics} answers it. */
    public static PrometheusText scrape(CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            throw new IllegalStateException("no Prometheus registry in the context, but " + registry);
        }
        return new PrometheusText(prometheus.scrape());
    }

    /**
     * The value of the one sample named {@code name} whose labels include every {@code label="value"} pair given
     * ({@code labels} as name, value, name, value, ...); NaN when none matches.
     */
    public double value(String name, String... labels) {
        List<Double> found = new ArrayList<>();
        for (String sample : samples) {
            if (matches(sample, name, labels)) {
                found.add(Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1)));
            }
        }
        if (found.size() > 1) {
            throw new IllegalStateException(found.size() + " samples match " + name + " " + List.of(labels));
        }
        return found.isEmpty() ? Double.NaN : found.get(0);
    }

    public boolean has(String name, String... labels) {
        return samples.stream().anyMatch(sample -> matches(sample, name, labels));
    }

    /** Whether some sample named {@code name} carries the label {@code label}, whatever its value. */
    public boolean hasLabel(String name, String label) {
        return samples.stream().anyMatch(sample -> matches(sample, name, new String[0])
                && sample.contains(label + "=\""));
    }

    /** The names of every sample ({@code mt5_request_seconds_count}, ...), sorted. */
    public java.util.SortedSet<String> names() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        for (String sample : samples) {
            int end = sample.indexOf('{');
            names.add(sample.substring(0, end >= 0 ? end : sample.indexOf(' ')));
        }
        return names;
    }

    private static boolean matches(String sample, String name, String[] labels) {
        if (!sample.startsWith(name + "{") && !sample.startsWith(name + " ")) {
            return false;
        }
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!sample.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                return false;
            }
        }
        return true;
    }
}

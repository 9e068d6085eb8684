package io.mt5crmhub.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The last {@code capacity} samples of a few series, for the status page's charts; used by the sampler's thread only. */
final class StatusHistory {

    private record Point(long time, Map<String, Double> values) {
    }

    private final int capacity;
    private final ArrayDeque<Point> points = new ArrayDeque<>();

    StatusHistory(int capacity) {
        this.capacity = capacity;
    }

    void add(long epochSecond, Map<String, Double> values) {
        if (points.size() == capacity) {
            points.removeFirst();
        }
        points.addLast(new Point(epochSecond, Map.copyOf(values)));
    }

    /** Column form (uPlot's): the times, and per series one value per time, null where the series had none. */
    HubStatus.History columns() {
        List<Long> times = new ArrayList<>(points.size());
        Set<String> names = new LinkedHashSet<>();
        for (Point point : points) {
            times.add(point.time());
            names.addAll(point.values().keySet());
        }
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String name : names) {
            List<Double> column = new ArrayList<>(points.size());
            for (Point point : points) {
                column.add(point.values().get(name));
            }
            series.put(name, column);
        }
        return new HubStatus.History(List.copyOf(times), series);
    }
}

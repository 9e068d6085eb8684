package io.mt5crmhub.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import io.mt5crmhub.event.ChangeType;

/**
 * Compares successive snapshots of records (open positions by ticket, users by login) and reports what changed:
 * a key that appeared is {@code ADDED}, a record that {@code changed} says differs is {@code UPDATED}, a key that
 * vanished is {@code DELETED} (carrying the record as last seen). The first snapshot is the baseline and reports
 * nothing: the component reads the full state itself after every connect. Used by one thread.
 *
 * @param <K> the record key
 * @param <V> the record
 */
public final class SnapshotDiff<K, V> {

    public record Change<K, V>(ChangeType change, K key, V record) {
    }

    private final BiPredicate<V, V> changed;
    private Map<K, V> previous;

    /** @param changed (before, after) → whether the record changed in a way worth an event */
    public SnapshotDiff(BiPredicate<V, V> changed) {
        this.changed = changed;
    }

    public boolean hasBaseline() {
        return previous != null;
    }

    /** Takes a complete snapshot; returns the changes since the previous one, in the snapshot's order, deletions last. */
    public List<Change<K, V>> next(Map<K, V> snapshot) {
        Map<K, V> current = new LinkedHashMap<>(snapshot);
        List<Change<K, V>> changes = new ArrayList<>();
        if (previous != null) {
            for (Map.Entry<K, V> entry : current.entrySet()) {
                V before = previous.get(entry.getKey());
                if (before == null) {
                    changes.add(new Change<>(ChangeType.ADDED, entry.getKey(), entry.getValue()));
                } else if (changed.test(before, entry.getValue())) {
                    changes.add(new Change<>(ChangeType.UPDATED, entry.getKey(), entry.getValue()));
                }
            }
            for (Map.Entry<K, V> entry : previous.entrySet()) {
                if (!current.containsKey(entry.getKey())) {
                    changes.add(new Change<>(ChangeType.DELETED, entry.getKey(), entry.getValue()));
                }
            }
        }
        previous = current;
        return changes;
    }

    /** A live change of {@code key} the caller already reported: the next snapshot compares with it. */
    public void seen(K key, V record) {
        if (previous != null) {
            previous.put(key, record);
        }
    }

    /** Whether {@code key} is in the baseline: the caller reported it and not its deletion. */
    public boolean knows(K key) {
        return previous != null && previous.containsKey(key);
    }

    /** A live deletion of {@code key} the caller already reported. */
    public void gone(K key) {
        if (previous != null) {
            previous.remove(key);
        }
    }
}

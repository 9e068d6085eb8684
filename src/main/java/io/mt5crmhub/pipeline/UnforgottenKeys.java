package io.mt5crmhub.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idempotency keys of failed exchanges that could not be deleted (the database was away when they failed), with the
 * stamps they hold open. Such a key must not make the gate drop its event when a back-fill brings it again: the event
 * was never delivered. Until the key is deleted (retried with each safe-point write) or taken by the event's next
 * exchange, its stamps stay open, so that the safe point stays before the key and a crash meanwhile makes it expire.
 */
final class UnforgottenKeys {

    private final Map<String, Map<IdempotencySafePoint, Long>> keys = new ConcurrentHashMap<>();

    boolean isEmpty() {
        return keys.isEmpty();
    }

    void add(Collection<String> failed, Map<IdempotencySafePoint, Long> stamps) {
        failed.forEach(key -> keys.put(key, stamps));
    }

    /** Takes those of {@code wanted} that are here (their events go on again); each taken by one caller only. */
    Map<String, Map<IdempotencySafePoint, Long>> take(Collection<String> wanted) {
        Map<String, Map<IdempotencySafePoint, Long>> taken = new HashMap<>();
        if (keys.isEmpty()) {
            return taken;
        }
        for (String key : wanted) {
            Map<IdempotencySafePoint, Long> stamps = keys.remove(key);
            if (stamps != null) {
                taken.put(key, stamps);
            }
        }
        return taken;
    }

    /** Puts back keys taken by {@link #take} whose exchange could not record them. */
    void putBack(Map<String, Map<IdempotencySafePoint, Long>> taken) {
        keys.putAll(taken);
    }

    /** Keys taken by {@link #take} are stored again under their new exchange's stamp: their old stamps may close. */
    void restamped(Map<String, Map<IdempotencySafePoint, Long>> taken) {
        if (!taken.isEmpty()) { // the usual case, on every exchange: nothing was taken
            closeUnheld(taken.values());
        }
    }

    /** The keys here now, to delete. */
    List<String> snapshot() {
        return List.copyOf(keys.keySet());
    }

    /** Keys of a {@link #snapshot} now deleted: those still here are dropped. */
    void deleted(Collection<String> deleted) {
        List<Map<IdempotencySafePoint, Long>> released = new ArrayList<>();
        for (String key : deleted) {
            Map<IdempotencySafePoint, Long> stamps = keys.remove(key);
            if (stamps != null) {
                released.add(stamps);
            }
        }
        closeUnheld(released);
    }

    /** Closes each exchange's stamps once none of its keys is here any more (one exchange's keys share them). */
    private synchronized void closeUnheld(Collection<Map<IdempotencySafePoint, Long>> released) {
        Set<Map<IdempotencySafePoint, Long>> held = Collections.newSetFromMap(new IdentityHashMap<>());
        held.addAll(keys.values());
        Set<Map<IdempotencySafePoint, Long>> closed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map<IdempotencySafePoint, Long> stamps : released) {
            if (!held.contains(stamps) && closed.add(stamps)) {
                stamps.forEach(IdempotencySafePoint::closed);
            }
        }
    }
}

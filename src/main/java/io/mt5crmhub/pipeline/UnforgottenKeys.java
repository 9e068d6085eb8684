package io.mt5crmhub.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Idempotency keys of failed exchanges that could not be deleted (the database was away when they failed). Such a key
 * must not make the gate drop its event when the back-fill brings it again (the failed exchange holds its checkpoint,
 * so it does): the event was never delivered. The exchange that brings it takes the key and, in its own transaction,
 * gives the row its stamp, but only while the row still carries one of the stamps kept here (otherwise another
 * exchange stored that key since, and the event is a duplicate).
 * <p>
 * Until then the key holds every stamp it was kept under open, so the safe point stays before its row and a crash
 * makes it expire; a key taken by an exchange still holds them until that exchange's transaction has committed or
 * failed. Nothing deletes these keys in the background: a delete racing with the exchange taking the key could drop
 * the event, and the back-fill brings it within seconds anyway.
 */
final class UnforgottenKeys {

    /** A kept key: each set of stamps it was kept under (its row carries one of them), and whether it is taken. */
    static final class Kept {
        private final List<Map<IdempotencySafePoint, Long>> stamps = new ArrayList<>();
        private boolean taken;

        /** The stamps of {@code server} the key's row may carry. */
        synchronized List<Long> stampsOf(IdempotencySafePoint server) {
            List<Long> of = new ArrayList<>();
            for (Map<IdempotencySafePoint, Long> kept : stamps) {
                Long stamp = kept.get(server);
                if (stamp != null) {
                    of.add(stamp);
                }
            }
            return of;
        }
    }

    private final Map<String, Kept> keys = new HashMap<>();
    /** Read without the lock on every exchange: almost always true. */
    private volatile boolean empty = true;

    /** Keeps {@code failed}, stored under {@code stamps}: their events go through again when they come. */
    synchronized void add(Collection<String> failed, Map<IdempotencySafePoint, Long> stamps) {
        for (String key : failed) {
            Kept kept = keys.computeIfAbsent(key, k -> new Kept());
            synchronized (kept) {
                if (kept.stamps.stream().noneMatch(held -> held == stamps)) {
                    kept.stamps.add(stamps);
                }
            }
        }
        empty = keys.isEmpty();
    }

    /** Takes those of {@code wanted} kept here and not taken by another exchange; they stay held until released. */
    Map<String, Kept> take(Collection<String> wanted) {
        if (empty) {
            return Map.of();
        }
        synchronized (this) {
            Map<String, Kept> taken = new HashMap<>();
            for (String key : wanted) {
                Kept kept = keys.get(key);
                if (kept != null && !kept.taken) {
                    kept.taken = true;
                    taken.put(key, kept);
                }
            }
            return taken;
        }
    }

    /** The exchange that took these could not record them: they are kept as they were. */
    synchronized void putBack(Map<String, Kept> taken) {
        taken.values().forEach(kept -> kept.taken = false);
    }

    /**
     * The exchange that took these committed: each row now carries its stamp, or was another exchange's. The keys
     * leave, and each stamp set none of the keys left here holds any more is closed.
     */
    void settled(Map<String, Kept> taken) {
        if (taken.isEmpty()) {
            return; // the usual case, on every exchange
        }
        synchronized (this) {
            List<Map<IdempotencySafePoint, Long>> released = new ArrayList<>();
            taken.forEach((key, kept) -> {
                if (keys.remove(key, kept)) {
                    released.addAll(kept.stamps);
                }
            });
            Set<Map<IdempotencySafePoint, Long>> held = Collections.newSetFromMap(new IdentityHashMap<>());
            keys.values().forEach(kept -> held.addAll(kept.stamps));
            Set<Map<IdempotencySafePoint, Long>> closed = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Map<IdempotencySafePoint, Long> stamps : released) {
                if (!held.contains(stamps) && closed.add(stamps)) {
                    stamps.forEach(IdempotencySafePoint::closed);
                }
            }
            empty = keys.isEmpty();
        }
    }
}

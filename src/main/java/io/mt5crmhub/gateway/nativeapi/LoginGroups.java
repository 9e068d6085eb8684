package io.mt5crmhub.gateway.nativeapi;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MT5 group of each login, which events carry and deals and positions do not: learnt from the users snapshot
 * taken at every (re)connect and from the user sink, which MT5 calls before the first deal of a new login. A login
 * seen nowhere is asked for once ({@link #resolve}), as the Web API gateway does. Thread-safe.
 */
final class LoginGroups {

    /** Asks MT5 for a login's group: null when MT5 has none, an unchecked exception when it cannot be asked now. */
    @FunctionalInterface
    interface Lookup {
        String groupOf(long login);
    }

    /** Logins asked for without an answer are not asked again until this many have piled up. */
    private static final int UNANSWERED = 10_000;

    private final Map<Long, String> groups = new ConcurrentHashMap<>();
    private final Set<Long> unanswered = ConcurrentHashMap.newKeySet();

    /** The login's group as known now, or null. */
    String of(long login) {
        return groups.get(login);
    }

    /** The login's group, asking {@code lookup} once when no snapshot or user change named it; null if unknown. */
    String resolve(long login, Lookup lookup) {
        String group = groups.get(login);
        if (group != null || unanswered.contains(login)) {
            return group;
        }
        try {
            group = lookup.groupOf(login);
        } catch (RuntimeException e) {
            return null; // MT5 could not be asked now: ask again next time
        }
        if (group == null || group.isEmpty()) {
            if (unanswered.size() >= UNANSWERED) {
                unanswered.clear();
            }
            unanswered.add(login);
            return null;
        }
        learn(login, group);
        return group;
    }

    void learn(long login, String group) {
        if (group != null && !group.isEmpty()) {
            groups.put(login, group);
            unanswered.remove(login);
        }
    }

    void forget(long login) {
        groups.remove(login);
    }
}

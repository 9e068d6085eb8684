package io.mt5crmhub.gateway.nativeapi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MT5 group of each login, which events carry and deals and positions do not: learnt from the users snapshot
 * taken at every (re)connect and from the user sink, which MT5 calls before the first deal of a new login.
 * Thread-safe.
 */
final class LoginGroups {

    private final Map<Long, String> groups = new ConcurrentHashMap<>();

    /** The login's group, or null when no snapshot or user change named it. */
    String of(long login) {
        return groups.get(login);
    }

    void learn(long login, String group) {
        if (group != null && !group.isEmpty()) {
            groups.put(login, group);
        }
    }

    void forget(long login) {
        groups.remove(login);
    }
}

package io.mt5crmhub.gateway;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.mt5crmhub.event.Account;

/**
 * Versions for users. An account event's id carries the record's update time, but MT5's user record has none
 * (neither the Web API's nor IMTUser), so a user's version is the time this gateway first saw its current content.
 * Every reader of the same content (a snapshot diff, a live sink change, the full re-read after a reconnect) then
 * gets the same version and the same event id; a changed content gets a new, strictly later version. Versions live
 * as long as the gateway: after a hub restart every user gets a new one (the store applies it as a newer version of
 * the same content). Thread-safe.
 */
public final class AccountVersions {

    private record Seen(Account content, Instant version) {
    }

    private final Map<Long, Seen> seen = new HashMap<>();
    private final Supplier<Instant> clock;
    private Instant last = Instant.EPOCH;

    public AccountVersions(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /** The account with its version as {@code updatedAt}; {@code account.updatedAt} is ignored. */
    public synchronized Account versioned(long login, Account account) {
        Account content = withUpdatedAt(account, null);
        Seen before = seen.get(login);
        if (before != null && before.content.equals(content)) {
            return withUpdatedAt(account, before.version);
        }
        Instant version = nextVersion();
        seen.put(login, new Seen(content, version));
        return withUpdatedAt(account, version);
    }

    /** A login vanished: a version later than any it had, and its content is forgotten. */
    public synchronized Account deleted(long login, Account lastSeen) {
        seen.remove(login);
        return withUpdatedAt(lastSeen, nextVersion());
    }

    /** Millisecond precision (event ids carry milliseconds), strictly rising. */
    private Instant nextVersion() {
        Instant now = Instant.ofEpochMilli(clock.get().toEpochMilli());
        Instant version = now.isAfter(last) ? now : last.plusMillis(1);
        last = version;
        return version;
    }

    private static Account withUpdatedAt(Account a, Instant updatedAt) {
        return new Account(a.group(), a.name(), a.email(), a.leverage(), a.currency(), a.balance(), a.credit(),
                a.agent(), a.registeredAt(), updatedAt);
    }
}

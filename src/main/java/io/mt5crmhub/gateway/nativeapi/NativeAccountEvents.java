package io.mt5crmhub.gateway.nativeapi;

import java.time.Instant;
import java.util.Optional;

import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.AccountVersions;
import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * Users copied from the library as the hub's account events. IMTUser has no modification time, so each content gets
 * a version from {@link AccountVersions}, as in the Web API gateway: the same content read by the sink, a snapshot
 * diff or a full read carries the same event id. The currency lives on the group, not the user, and is left empty.
 * Every user read teaches {@link LoginGroups} its group. A user the hub cannot read is skipped and reported.
 */
final class NativeAccountEvents {

    /** A user's content (no version yet) with its login, as the snapshot diff keeps it. */
    record Known(long login, Account account) {
    }

    private final String serverId;
    private final NativeClock clock;
    private final LoginGroups groups;
    private final SkippedRecords skipped;
    private final AccountVersions versions;

    NativeAccountEvents(String serverId, NativeClock clock, LoginGroups groups, SkippedRecords skipped,
            AccountVersions versions) {
        this.serverId = serverId;
        this.clock = clock;
        this.groups = groups;
        this.skipped = skipped;
        this.versions = versions;
    }

    Optional<Known> read(NativeUser u) {
        try {
            if (u.leverage() < 0) {
                throw new MalformedRecordException("leverage " + Integer.toUnsignedString(u.leverage())
                        + " is out of range");
            }
            String name = u.name().isEmpty() ? (u.firstName() + " " + u.lastName()).trim() : u.name();
            Instant registered = u.registration() == 0 ? null : clock.utc(u.registration() * 1000);
            Account account = new Account(u.group(), name, u.email(), u.leverage(), null,
                    NativeValues.decimal("balance", u.balance()), NativeValues.decimal("credit", u.credit()),
                    u.agent(), registered, null);
            groups.learn(u.login(), u.group());
            return Optional.of(new Known(u.login(), account));
        } catch (MalformedRecordException e) {
            skipped.skip("user", u.login(), e);
            return Optional.empty();
        }
    }

    /** A change the user sink reported, or a snapshot diff found. */
    Mt5Event changed(Change change, Known known) {
        return switch (change) {
            case ADDED -> event(EventType.ACCOUNT_ADDED, known);
            case UPDATED -> event(EventType.ACCOUNT_UPDATED, known);
            case DELETED -> {
                groups.forget(known.login());
                yield Mt5Event.ofAccount(serverId, EventType.ACCOUNT_DELETED, known.login(),
                        versions.deleted(known.login(), known.account()));
            }
        };
    }

    /** The current state of a login, as a full read reports it. */
    Mt5Event current(Known known) {
        return event(EventType.ACCOUNT_UPDATED, known);
    }

    private Mt5Event event(EventType type, Known known) {
        return Mt5Event.ofAccount(serverId, type, known.login(), versions.versioned(known.login(), known.account()));
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GroupMask;
import io.mt5crmhub.gateway.SnapshotDiff;
import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * Users and open positions as this gateway last reported them, and what a new snapshot shows that it missed. The
 * snapshots taken at connect are the baselines; every live change from the sinks moves the baseline along; after a
 * reconnect or a full inbox the pump takes new snapshots ({@code UserRequestArray}, {@code PositionRequestByGroup})
 * and reports the differences as added / updated / deleted events, as the Web API gateway's snapshot poll does.
 * The diffs are used by one thread at a time (the connect, then its pump); the full reads by any thread.
 */
final class NativeSnapshots {

    /** Delivers one event to the listener. */
    @FunctionalInterface
    interface Delivery {
        void deliver(Mt5Event event) throws InterruptedException;
    }

    private final NativeAccountEvents accounts;
    private final NativePositionEvents positions;
    private final GroupMask groups;
    private final SnapshotDiff<Long, NativeAccountEvents.Known> userDiff = new SnapshotDiff<>(
            (before, after) -> !before.account().equals(after.account()));
    private final SnapshotDiff<Long, NativePositionEvents.Known> positionDiff = new SnapshotDiff<>(
            (before, after) -> after.position().updatedAt().isAfter(before.position().updatedAt()));

    NativeSnapshots(NativeAccountEvents accounts, NativePositionEvents positions, GroupMask groups) {
        this.accounts = accounts;
        this.positions = positions;
        this.groups = groups;
    }

    /**
     * Whether a record of {@code group} is one the configured groups show. The sinks push every login the manager
     * may see, the snapshots only the configured groups; a login whose group is unknown is shown rather than lost.
     */
    boolean shows(String group) {
        return group == null || groups.matches(group);
    }

    /** The first snapshots of a connection: they report nothing (the component reads the full state itself). */
    void takeBaselines(NativeSession session) throws GatewayException {
        userDiff.next(users(session));
        positionDiff.next(positions(session));
    }

    /** Takes both snapshots, then delivers what changed since this gateway last reported: users first. */
    void resync(NativeSession session, Delivery delivery) throws GatewayException, InterruptedException {
        Map<Long, NativeAccountEvents.Known> users = users(session);
        Map<Long, NativePositionEvents.Known> open = positions(session);
        for (SnapshotDiff.Change<Long, NativeAccountEvents.Known> change : userDiff.next(users)) {
            delivery.deliver(accounts.changed(Change.valueOf(change.change().name()), change.record()));
        }
        for (SnapshotDiff.Change<Long, NativePositionEvents.Known> change : positionDiff.next(open)) {
            NativePositionEvents.Known known = change.record();
            delivery.deliver(switch (change.change()) {
                case ADDED -> positions.open(known);
                case UPDATED -> positions.live(Change.UPDATED, known);
                case DELETED -> positions.closed(known);
            });
        }
    }

    /**
     * A change the user sink reported: its event, and the baseline moved along. A login that moved out of the
     * configured groups is deleted from their view, as the next snapshot would say; one outside them is not shown.
     */
    Optional<Mt5Event> live(NativeUserChange change) {
        return accounts.read(change.user()).flatMap(known -> {
            Change what = change.change();
            if (!shows(known.account().group())) {
                if (!userDiff.knows(known.login())) {
                    return Optional.empty();
                }
                what = Change.DELETED;
            }
            if (what == Change.DELETED) {
                userDiff.gone(known.login());
            } else {
                userDiff.seen(known.login(), known);
            }
            return Optional.of(accounts.changed(what, known));
        });
    }

    /** A change the position sink reported: its event, and the baseline moved along; outside the groups, nothing. */
    Optional<Mt5Event> live(NativePositionChange change) {
        return positions.read(change.position()).flatMap(known -> {
            Position p = known.position();
            if (!shows(positions.groupOf(known))) {
                positionDiff.gone(p.ticket());
                return Optional.empty();
            }
            if (change.change() == Change.DELETED) {
                positionDiff.gone(p.ticket());
            } else {
                positionDiff.seen(p.ticket(), known);
            }
            return Optional.of(positions.live(change.change(), known));
        });
    }

    /** Every login now, by login; users the hub cannot read are skipped and reported. */
    Map<Long, NativeAccountEvents.Known> users(NativeSession session) throws GatewayException {
        Map<Long, NativeAccountEvents.Known> users = new LinkedHashMap<>();
        for (NativeUser user : session.users()) {
            accounts.read(user).ifPresent(known -> users.put(known.login(), known));
        }
        return users;
    }

    /** Every open position now, by ticket; positions the hub cannot read are skipped and reported. */
    Map<Long, NativePositionEvents.Known> positions(NativeSession session) throws GatewayException {
        Map<Long, NativePositionEvents.Known> open = new LinkedHashMap<>();
        for (NativePosition position : session.positions()) {
            positions.read(position).ifPresent(known -> open.put(known.position().ticket(), known));
        }
        return open;
    }
}

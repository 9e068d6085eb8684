package io.mt5crmhub.gateway.webapi;

import java.time.Instant;
import java.util.function.Supplier;

import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.ChangeType;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.gateway.AccountVersions;
import io.mt5crmhub.gateway.SnapshotDiff;
import io.mt5crmhub.gateway.webapi.WebApiJson.PositionRecord;
import io.mt5crmhub.gateway.webapi.WebApiJson.UserRecord;

/**
 * Users and open positions of one connection: {@code /api/user/get_batch} and {@code /api/position/get_batch} every
 * {@code snapshot-interval}, each snapshot compared with the previous one ({@link SnapshotDiff}) into added / updated
 * / deleted events. The first snapshots, taken at connect, are the baselines and report nothing (the component reads
 * the full state itself). Used by one thread at a time.
 */
final class SnapshotPoller {

    private final String serverId;
    private final WebApiReads reads;
    private final Supplier<Instant> now;
    private final SnapshotDiff<Long, UserRecord> users = new SnapshotDiff<>((a, b) -> !a.account().equals(b.account()));
    private final SnapshotDiff<Long, PositionRecord> positions = new SnapshotDiff<>(
            (a, b) -> b.position().updatedAt().isAfter(a.position().updatedAt()));

    SnapshotPoller(String serverId, WebApiReads reads, Supplier<Instant> now) {
        this.serverId = serverId;
        this.reads = reads;
        this.now = now;
    }

    /** The first snapshots: the baselines later ones are compared with. */
    void takeBaselines(WebApiClient client) throws WebApiException, InterruptedException {
        users.next(reads.users(client));
        positions.next(reads.positions(client));
    }

    /** Takes both snapshots and delivers what changed since the last ones. */
    void poll(WebApiClient client, EventDelivery delivery) throws WebApiException, InterruptedException {
        pollUsers(client, delivery);
        pollPositions(client, delivery);
    }

    private void pollUsers(WebApiClient client, EventDelivery delivery) throws WebApiException, InterruptedException {
        AccountVersions versions = reads.accountVersions();
        for (SnapshotDiff.Change<Long, UserRecord> change : users.next(reads.users(client))) {
            long login = change.key();
            Account account = change.change() == ChangeType.DELETED
                    ? versions.deleted(login, change.record().account())
                    : versions.versioned(login, change.record().account());
            EventType type = new EventType(EntityType.ACCOUNT, change.change());
            delivery.deliver(Mt5Event.ofAccount(serverId, type, login, account));
            if (change.change() == ChangeType.DELETED) {
                reads.forgetGroup(login);
            }
        }
    }

    private void pollPositions(WebApiClient client, EventDelivery delivery)
            throws WebApiException, InterruptedException {
        for (SnapshotDiff.Change<Long, PositionRecord> change : positions.next(reads.positions(client))) {
            Position p = change.record().position();
            EventType type;
            Instant occurredAt;
            switch (change.change()) {
                case ADDED -> {
                    type = p.updatedAt().isAfter(p.openedAt()) ? EventType.POSITION_UPDATED : EventType.POSITION_ADDED;
                    occurredAt = p.updatedAt();
                }
                case UPDATED -> {
                    type = EventType.POSITION_UPDATED;
                    occurredAt = p.updatedAt();
                }
                default -> {
                    type = EventType.POSITION_DELETED;
                    // the Web API keeps no closed positions: the close is stamped when it was noticed, later
                    // than the last update the CRM holds, so the update-time guard lets it through
                    occurredAt = latest(now.get(), p.updatedAt().plusMillis(1));
                    p = new Position(p.ticket(), p.action(), p.symbol(), p.volume(), p.priceOpen(),
                            p.priceCurrent(), p.priceSl(), p.priceTp(), p.profit(), p.swap(), p.comment(),
                            p.openedAt(), occurredAt);
                }
            }
            delivery.deliver(reads.positionEvent(type, change.record().login(), occurredAt, p));
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.event.PositionAction;
import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * Positions copied from the library as the hub's events, with the same types and times the Web API gateway gives:
 * a position first seen with updates since its opening is {@code position.updated}; a closed one is stamped when the
 * close was noticed (MT5 keeps no closed positions), later than its last update. A position the hub cannot read is
 * skipped and reported.
 */
final class NativePositionEvents {

    /** A position with its login, as the snapshot diff keeps it. */
    record Known(long login, Position position) {
    }

    private final String serverId;
    private final NativeClock clock;
    private final LoginGroups groups;
    private final SkippedRecords skipped;
    private final Supplier<Instant> now;
    private final LoginGroups.Lookup lookup;

    NativePositionEvents(String serverId, NativeClock clock, LoginGroups groups, SkippedRecords skipped,
            Supplier<Instant> now, LoginGroups.Lookup lookup) {
        this.serverId = serverId;
        this.clock = clock;
        this.groups = groups;
        this.skipped = skipped;
        this.now = now;
        this.lookup = lookup;
    }

    /** The group of the position's login, asked of MT5 once if no snapshot or user change named it. */
    String groupOf(Known known) {
        return groups.resolve(known.login(), lookup);
    }

    /** The position in the contract's terms, or empty when skipped. */
    Optional<Known> read(NativePosition p) {
        try {
            PositionAction action = NativeValues.code("action", p.action(), code -> switch (code) {
                case 0 -> PositionAction.BUY;
                case 1 -> PositionAction.SELL;
                default -> throw new IllegalArgumentException();
            });
            Instant opened = clock.utc(p.timeCreateMsc());
            Instant updated = p.timeUpdateMsc() == 0 ? opened : clock.utc(p.timeUpdateMsc());
            return Optional.of(new Known(p.login(), new Position(p.ticket(), action, p.symbol(),
                    NativeValues.lots(p.volume()), NativeValues.decimal("priceOpen", p.priceOpen()),
                    NativeValues.decimal("priceCurrent", p.priceCurrent()),
                    NativeValues.decimal("priceSL", p.priceSl()), NativeValues.decimal("priceTP", p.priceTp()),
                    NativeValues.decimal("profit", p.profit()),
                    NativeValues.decimal("storage", p.storage()), p.comment(), opened, updated)));
        } catch (MalformedRecordException e) {
            skipped.skip("position", p.ticket(), e);
            return Optional.empty();
        }
    }

    /** A change the position sink reported as it happened. */
    Mt5Event live(Change change, Known known) {
        return switch (change) {
            case ADDED -> event(EventType.POSITION_ADDED, known.login(), known.position());
            case UPDATED -> event(EventType.POSITION_UPDATED, known.login(), known.position());
            case DELETED -> closed(known);
        };
    }

    /** A position a snapshot shows open, whose history this gateway did not see (a full read or a diff). */
    Mt5Event open(Known known) {
        Position p = known.position();
        return event(p.updatedAt().isAfter(p.openedAt()) ? EventType.POSITION_UPDATED : EventType.POSITION_ADDED,
                known.login(), p);
    }

    /** A position that closed: stamped now, and never earlier than just after its last update. */
    Mt5Event closed(Known known) {
        Position p = known.position();
        Instant noticed = now.get();
        Instant occurredAt = noticed.isAfter(p.updatedAt()) ? noticed : p.updatedAt().plusMillis(1);
        Position closed = new Position(p.ticket(), p.action(), p.symbol(), p.volume(), p.priceOpen(),
                p.priceCurrent(), p.priceSl(), p.priceTp(), p.profit(), p.swap(), p.comment(), p.openedAt(),
                occurredAt);
        return Mt5Event.ofPosition(serverId, EventType.POSITION_DELETED, known.login(), groupOf(known), occurredAt,
                closed);
    }

    private Mt5Event event(EventType type, long login, Position p) {
        return Mt5Event.ofPosition(serverId, type, login, groups.resolve(login, lookup), p.updatedAt(), p);
    }
}

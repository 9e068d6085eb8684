package io.mt5crmhub.gateway.nativeapi;

import java.math.BigDecimal;
import java.util.Optional;

import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * Turns a deal copied from the library into the hub's event: MT5 codes into the contract's enums, doubles into
 * decimals, server-local time into UTC, and the login's group (asked of MT5 once for a login seen nowhere else, so
 * never from a sink callback: events are made on the pump and the hub's threads). A deal the hub cannot read is
 * skipped and reported ({@link SkippedRecords}).
 */
final class NativeDealEvents {

    private final String serverId;
    private final NativeClock clock;
    private final LoginGroups groups;
    private final SkippedRecords skipped;
    private final LoginGroups.Lookup lookup;

    NativeDealEvents(String serverId, NativeClock clock, LoginGroups groups, SkippedRecords skipped,
            LoginGroups.Lookup lookup) {
        this.serverId = serverId;
        this.clock = clock;
        this.groups = groups;
        this.skipped = skipped;
        this.lookup = lookup;
    }

    Optional<Mt5Event> event(NativeDealChange change) {
        NativeDeal d = change.deal();
        Deal deal;
        try {
            deal = new Deal(d.ticket(), d.order(), d.positionId(),
                    NativeValues.code("action", d.action(), DealAction::ofCode),
                    NativeValues.code("entry", d.entry(), DealEntry::ofCode),
                    NativeValues.code("reason", d.reason(), DealReason::ofCode), d.symbol(),
                    NativeValues.lots(d.volume()), NativeValues.decimal("price", d.price()),
                    NativeValues.decimal("profit", d.profit()), NativeValues.decimal("commission", d.commission()),
                    NativeValues.decimal("storage", d.storage()), BigDecimal.ZERO, d.comment());
        } catch (MalformedRecordException e) {
            skipped.skip("deal", d.ticket(), e);
            return Optional.empty();
        }
        String group = groups.resolve(d.login(), lookup);
        return Optional.of(Mt5Event.ofDeal(serverId, type(change.change()), d.login(), group, clock.utc(d.timeMsc()),
                deal));
    }

    private static EventType type(Change change) {
        return switch (change) {
            case ADDED -> EventType.DEAL_ADDED;
            case UPDATED -> EventType.DEAL_UPDATED;
            case DELETED -> EventType.DEAL_DELETED;
        };
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * Turns a deal copied from the library into the hub's event: MT5 codes into the contract's enums, doubles into
 * decimals (by their shortest text, never by double arithmetic), server-local time into UTC. A deal with a code
 * the hub does not know is skipped, logged and counted, never thrown at the library's thread.
 */
final class NativeDealEvents {

    private static final Logger LOG = LoggerFactory.getLogger(NativeDealEvents.class);

    private final String serverId;
    private final int timezoneMinutes;
    private final AtomicLong skipped = new AtomicLong();

    NativeDealEvents(String serverId, int timezoneMinutes) {
        this.serverId = serverId;
        this.timezoneMinutes = timezoneMinutes;
    }

    Optional<Mt5Event> event(NativeDealChange change) {
        NativeDeal d = change.deal();
        Deal deal;
        try {
            deal = new Deal(d.ticket(), d.order(), d.positionId(), DealAction.ofCode(d.action()),
                    DealEntry.ofCode(d.entry()), DealReason.ofCode(d.reason()), d.symbol(), lots(d.volume()),
                    decimal(d.price()), decimal(d.profit()), decimal(d.commission()), decimal(d.storage()),
                    BigDecimal.ZERO, d.comment());
        } catch (IllegalArgumentException e) {
            skipped.incrementAndGet();
            LOG.warn("MT5 server {}: deal {} skipped: {}", serverId, Long.toUnsignedString(d.ticket()),
                    e.getMessage());
            return Optional.empty();
        }
        // the group comes with the user sink, which the next step of the native gateway adds
        return Optional.of(Mt5Event.ofDeal(serverId, type(change.change()), d.login(), null, utc(d.timeMsc()), deal));
    }

    long skipped() {
        return skipped.get();
    }

    /** Server-local milliseconds to a UTC instant. */
    Instant utc(long serverMillis) {
        return Instant.ofEpochMilli(serverMillis).minusSeconds(timezoneMinutes * 60L);
    }

    /** A UTC instant to server-local seconds, as history requests take them. */
    long serverSeconds(Instant instant) {
        return instant.getEpochSecond() + timezoneMinutes * 60L;
    }

    private static EventType type(Change change) {
        return switch (change) {
            case ADDED -> EventType.DEAL_ADDED;
            case UPDATED -> EventType.DEAL_UPDATED;
            case DELETED -> EventType.DEAL_DELETED;
        };
    }

    private static BigDecimal lots(long volume) {
        return tidy(new BigDecimal(Long.toUnsignedString(volume)).movePointLeft(4));
    }

    private static BigDecimal decimal(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a number: " + value);
        }
        return tidy(BigDecimal.valueOf(value));
    }

    private static BigDecimal tidy(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * Balance operations through {@code DealerBalance} (slot 192) and the look-up that makes them safe to repeat. 10009
 * with a ticket is done; the refusals the reference documents for DealerBalance (3 bad type or parameters, 4005 over
 * the per-operation limit, 10019 not enough money) are definite; any other answer, 10012 above all (the DLL gave up
 * waiting, the deal may still be made), leaves the outcome unknown: the caller looks the deal up by its reference
 * comment, never sends again blindly.
 */
final class NativeDealer {

    /** The 1657 DLL copies the comment into 32 units with its terminator: 31 characters are kept (reference, 9). */
    static final int MAX_COMMENT = 31;
    private static final Set<Integer> DEFINITE_REFUSALS = Set.of(Mt5Retcode.ERR_PARAMS, Mt5Retcode.TRADE_MAX_MONEY,
            Mt5Retcode.REQUEST_NO_MONEY);
    /** MT5 servers keep server-local time, often hours ahead of UTC; look well past "now". */
    private static final Duration HORIZON = Duration.ofDays(1);

    private final String serverId;
    private final NativeSession session;
    private final NativeClock clock;
    private final NativeDealEvents deals;
    private final Supplier<Instant> now;

    NativeDealer(String serverId, NativeSession session, NativeClock clock, NativeDealEvents deals,
            Supplier<Instant> now) {
        this.serverId = serverId;
        this.session = session;
        this.clock = clock;
        this.deals = deals;
        this.now = now;
    }

    BalanceResult balance(BalanceOrder order) throws GatewayException {
        if (order.comment().length() > MAX_COMMENT) {
            return BalanceResult.refused(Mt5Retcode.ERR_PARAMS, "comment longer than " + MAX_COMMENT
                    + " characters: the Manager API would cut it and the operation could not be found again; not sent");
        }
        double value = order.amount().doubleValue();
        if (BigDecimal.valueOf(value).compareTo(order.amount()) != 0) {
            return BalanceResult.refused(Mt5Retcode.ERR_PARAMS, "amount " + order.amount().toPlainString()
                    + " has more digits than the Manager API's double carries; not sent");
        }
        DealerAnswer answer = session.dealerBalance(order.login(), value, order.type().code(), order.comment());
        int res = answer.retcode();
        if (res == Mt5Retcode.REQUEST_DONE && answer.ticket() != 0) {
            return BalanceResult.done(answer.ticket());
        }
        if (DEFINITE_REFUSALS.contains(res)) {
            return BalanceResult.refused(res, Mt5Retcode.describe(res));
        }
        throw new GatewayException(res,
                "balance operation on login " + order.login() + " on MT5 server " + serverId + " answered "
                        + Integer.toUnsignedString(res) + " (" + Mt5Retcode.describe(res) + "): the outcome is"
                        + " unknown; look the deal up before sending it again");
    }

    /** The login's deals carrying exactly {@code comment}, from {@code since}, oldest first (DealRequest, slot 100). */
    List<Mt5Event> findDeals(long login, String comment, Instant since) throws GatewayException {
        List<NativeDeal> found = session.dealsOfLogin(login, clock.serverSeconds(since),
                clock.serverSeconds(now.get().plus(HORIZON)));
        List<Mt5Event> events = new ArrayList<>();
        for (NativeDeal deal : found) {
            if (deal.login() == login && comment.equals(deal.comment())) {
                deals.event(new NativeDealChange(Change.ADDED, deal))
                        .filter(event -> !event.occurredAt().isBefore(since))
                        .ifPresent(events::add);
            }
        }
        events.sort(Comparator.comparing(Mt5Event::occurredAt).thenComparing(e -> e.deal().ticket()));
        return events;
    }
}

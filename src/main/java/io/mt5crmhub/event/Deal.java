package io.mt5crmhub.event;

import java.math.BigDecimal;

/**
 * An MT5 deal ({@code IMTDeal}) as the hub publishes it. Money is in the login's deposit currency,
 * {@code volume} is in lots (MT5 {@code Volume} / 10000), {@code swap} is MT5's {@code Storage}.
 */
public record Deal(
        long ticket,
        long order,
        long positionId,
        DealAction action,
        DealEntry entry,
        DealReason reason,
        String symbol,
        BigDecimal volume,
        BigDecimal price,
        BigDecimal profit,
        BigDecimal commission,
        BigDecimal swap,
        BigDecimal fee,
        String comment) {

    /** What the deal adds to its login's balance (or credit, for credit operations). */
    public BigDecimal money() {
        return profit.add(commission).add(swap).add(fee);
    }
}

package io.mt5crmhub.event;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An open MT5 position ({@code IMTPosition}). {@code updatedAt} is MT5's {@code TimeUpdateMsc}: it orders
 * the updates of one position, so an older update never overwrites a newer one.
 */
public record Position(
        long ticket,
        PositionAction action,
        String symbol,
        BigDecimal volume,
        BigDecimal priceOpen,
        BigDecimal priceCurrent,
        BigDecimal priceSl,
        BigDecimal priceTp,
        BigDecimal profit,
        BigDecimal swap,
        String comment,
        Instant openedAt,
        Instant updatedAt) {
}

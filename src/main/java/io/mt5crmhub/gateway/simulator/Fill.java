package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;

/** The execution of one trade deal: its side (BUY or SELL), entry, volume, price and money. */
record Fill(DealAction side, DealEntry entry, DealReason reason, BigDecimal volume, BigDecimal price,
        BigDecimal profit, BigDecimal commission, String comment) {
}

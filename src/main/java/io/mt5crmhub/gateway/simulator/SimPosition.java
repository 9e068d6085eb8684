package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.time.Instant;

import io.mt5crmhub.event.Position;
import io.mt5crmhub.event.PositionAction;

/**
 * An open position on the simulated server's books. Its ticket is the ticket of the order that opened it,
 * as in MT5. Prices carry the symbol's digits; SL and TP are zero when not set. Guarded by the simulator lock.
 */
final class SimPosition {

    final long ticket;
    final long login;
    final SymbolSpec symbol;
    final Instant openedAt;
    PositionAction action;
    BigDecimal volume;
    BigDecimal priceOpen;
    BigDecimal priceCurrent;
    BigDecimal priceSl;
    BigDecimal priceTp;
    BigDecimal profit;
    BigDecimal swap;
    String comment;
    Instant updatedAt;

    SimPosition(long ticket, long login, SymbolSpec symbol, PositionAction action, BigDecimal volume,
            BigDecimal priceOpen, BigDecimal priceCurrent, BigDecimal priceSl, BigDecimal priceTp, BigDecimal profit,
            BigDecimal swap, String comment, Instant openedAt, Instant updatedAt) {
        this.ticket = ticket;
        this.login = login;
        this.symbol = symbol;
        this.action = action;
        this.volume = volume;
        this.priceOpen = priceOpen;
        this.priceCurrent = priceCurrent;
        this.priceSl = priceSl;
        this.priceTp = priceTp;
        this.profit = profit;
        this.swap = swap;
        this.comment = comment;
        this.openedAt = openedAt;
        this.updatedAt = updatedAt;
    }

    /** A position that changed after it was opened is reported as {@code position.updated}. */
    boolean wasUpdated() {
        return updatedAt.isAfter(openedAt);
    }

    boolean hasSl() {
        return priceSl.signum() != 0;
    }

    boolean hasTp() {
        return priceTp.signum() != 0;
    }

    Position toPosition() {
        return new Position(ticket, action, symbol.name(), volume, priceOpen, priceCurrent, priceSl, priceTp, profit,
                swap, comment, openedAt, updatedAt);
    }
}

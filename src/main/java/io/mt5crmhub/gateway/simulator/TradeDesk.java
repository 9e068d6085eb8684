package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.PositionAction;

/**
 * Trading on the books the way an MT5 server does it: market executions, closes, close-by, netting merges,
 * SL/TP and stop-out. Entries follow MT5: IN opens or adds, OUT reduces or closes, INOUT reverses (netting
 * only), OUT_BY closes against an opposite position (hedging only).
 * <p>
 * A realised loss never takes the balance below zero: the server caps it and absorbs the rest, like a broker's
 * negative balance protection. Stop-out normally gets there first.
 */
final class TradeDesk {

    /** Accounts whose estimated margin level is above this are far from stop-out (the estimate errs by far less). */
    private static final double STOP_OUT_SCREEN = TradeMath.STOP_OUT_LEVEL.doubleValue() + 5;

    private final Books books;
    private final TradeMath math;

    TradeDesk(Books books) {
        this.books = books;
        this.math = new TradeMath(books.market);
    }

    TradeMath math() {
        return math;
    }

    /**
     * A market order of {@code volume} lots: a new position on a hedging account, or a change of the one position
     * per symbol on a netting account. Returns false, changing nothing, when the login cannot afford it.
     */
    boolean trade(BookTransaction tx, SimLogin login, SymbolSpec symbol, PositionAction side, BigDecimal volume,
            DealReason reason, BigDecimal sl, BigDecimal tp, String comment) {
        SimPosition netted = login.group.hedging() ? null : nettingPosition(login, symbol);
        BigDecimal addedExposure = volume;
        if (netted != null && netted.action != side) {
            addedExposure = volume.subtract(netted.volume).max(TradeMath.ZERO);
        }
        BigDecimal commission = math.commission(volume, login.currency());
        if (!canAfford(login, symbol, side, addedExposure, commission)) {
            return false;
        }
        if (netted == null) {
            open(tx, login, symbol, side, volume, reason, sl, tp, commission, comment);
        } else if (netted.action == side) {
            increase(tx, login, netted, volume, reason, commission, comment);
        } else {
            reduceOrReverse(tx, login, netted, volume, reason, commission, comment);
        }
        return true;
    }

    private boolean canAfford(SimLogin login, SymbolSpec symbol, PositionAction side, BigDecimal exposure,
            BigDecimal commission) {
        if (login.balance.compareTo(commission.negate()) < 0) {
            return false;
        }
        BigDecimal margin = exposure.signum() == 0 ? TradeMath.ZERO
                : math.margin(symbol, side, exposure, login.currency(), login.leverage);
        return math.freeMargin(books, login).compareTo(margin.subtract(commission)) >= 0;
    }

    SimPosition nettingPosition(SimLogin login, SymbolSpec symbol) {
        for (SimPosition position : books.positionsOf(login.login)) {
            if (position.symbol == symbol) {
                return position;
            }
        }
        return null;
    }

    private void open(BookTransaction tx, SimLogin login, SymbolSpec symbol, PositionAction side, BigDecimal volume,
            DealReason reason, BigDecimal sl, BigDecimal tp, BigDecimal commission, String comment) {
        long order = books.takeOrderTicket();
        BigDecimal price = books.market.openPrice(symbol, side);
        SimPosition position = new SimPosition(order, login.login, symbol, side, volume, price, price,
                sl == null ? symbol.zeroPrice() : sl, tp == null ? symbol.zeroPrice() : tp, TradeMath.ZERO,
                TradeMath.ZERO, comment, tx.time(), tx.time());
        refresh(position, login);
        Deal deal = tx.tradeDeal(login, order, order, symbol,
                new Fill(dealSide(side), DealEntry.IN, reason, volume, price, TradeMath.ZERO, commission, comment));
        tx.positionAdded(position);
        payAgent(tx, login, deal);
    }

    private void increase(BookTransaction tx, SimLogin login, SimPosition position, BigDecimal volume,
            DealReason reason, BigDecimal commission, String comment) {
        BigDecimal price = books.market.openPrice(position.symbol, position.action);
        BigDecimal total = position.volume.add(volume);
        BigDecimal average = position.priceOpen.multiply(position.volume).add(price.multiply(volume))
                .divide(total, MathContext.DECIMAL64);
        Deal deal = tx.tradeDeal(login, books.takeOrderTicket(), position.ticket, position.symbol, new Fill(
                dealSide(position.action), DealEntry.IN, reason, volume, price, TradeMath.ZERO, commission, comment));
        position.volume = total;
        position.priceOpen = position.symbol.round(average);
        refresh(position, login);
        tx.positionUpdated(position);
        payAgent(tx, login, deal);
    }

    private void reduceOrReverse(BookTransaction tx, SimLogin login, SimPosition position, BigDecimal volume,
            DealReason reason, BigDecimal commission, String comment) {
        int cmp = volume.compareTo(position.volume);
        if (cmp <= 0) {
            close(tx, position, volume, reason, comment, commission);
            return;
        }
        BigDecimal price = books.market.closePrice(position.symbol, position.action);
        BigDecimal profit = math.profit(position.symbol, position.action, position.volume, position.priceOpen, price,
                login.currency());
        Fill fill = capLoss(login, new Fill(dealSide(position.action.opposite()), DealEntry.INOUT, reason, volume,
                price, profit, commission, comment));
        Deal deal = tx.tradeDeal(login, books.takeOrderTicket(), position.ticket, position.symbol, fill);
        position.action = position.action.opposite();
        position.volume = volume.subtract(position.volume);
        position.priceOpen = price;
        refresh(position, login);
        tx.positionUpdated(position);
        payAgent(tx, login, deal);
    }

    /** Closes {@code volume} lots of a position (all of it, or part: then the position is updated). */
    void close(BookTransaction tx, SimPosition position, BigDecimal volume, DealReason reason, String comment) {
        SimLogin login = books.login(position.login);
        close(tx, position, volume, reason, comment, math.commission(volume, login.currency()));
    }

    private void close(BookTransaction tx, SimPosition position, BigDecimal volume, DealReason reason, String comment,
            BigDecimal commission) {
        SimLogin login = books.login(position.login);
        BigDecimal price = books.market.closePrice(position.symbol, position.action);
        BigDecimal profit = math.profit(position.symbol, position.action, volume, position.priceOpen, price,
                login.currency());
        Fill fill = capLoss(login, new Fill(dealSide(position.action.opposite()), DealEntry.OUT, reason, volume,
                price, profit, commission, comment));
        Deal deal = tx.tradeDeal(login, books.takeOrderTicket(), position.ticket, position.symbol, fill);
        refresh(position, login);
        if (volume.compareTo(position.volume) == 0) {
            tx.positionDeleted(position);
        } else {
            position.volume = position.volume.subtract(volume);
            refresh(position, login);
            tx.positionUpdated(position);
        }
        payAgent(tx, login, deal);
    }

    /**
     * MT5 close-by on a hedging account: two OUT_BY deals of the smaller volume under one order. The first
     * position closes at the second one's open price and carries the whole result; the second closes at its own
     * open price with zero profit. No commission is charged.
     */
    void closeBy(BookTransaction tx, SimPosition first, SimPosition second) {
        SimLogin login = books.login(first.login);
        if (!login.group.hedging() || first.login != second.login || first.symbol != second.symbol
                || first.action == second.action) {
            throw new IllegalArgumentException("close-by needs two opposite positions of one hedging login");
        }
        BigDecimal volume = first.volume.min(second.volume);
        BigDecimal price = second.priceOpen;
        BigDecimal profit = math.profit(first.symbol, first.action, volume, first.priceOpen, price, login.currency());
        long order = books.takeOrderTicket();
        tx.tradeDeal(login, order, first.ticket, first.symbol, capLoss(login, new Fill(dealSide(first.action.opposite()),
                DealEntry.OUT_BY, DealReason.CLIENT, volume, price, profit, TradeMath.ZERO, "close by #" + second.ticket)));
        tx.tradeDeal(login, order, second.ticket, second.symbol, new Fill(dealSide(second.action.opposite()),
                DealEntry.OUT_BY, DealReason.CLIENT, volume, price, TradeMath.ZERO, TradeMath.ZERO,
                "close by #" + first.ticket));
        for (SimPosition position : List.of(first, second)) {
            refresh(position, login);
            if (position.volume.compareTo(volume) == 0) {
                tx.positionDeleted(position);
            } else {
                position.volume = position.volume.subtract(volume);
                refresh(position, login);
                tx.positionUpdated(position);
            }
        }
    }

    void modify(BookTransaction tx, SimPosition position, BigDecimal sl, BigDecimal tp) {
        position.priceSl = sl;
        position.priceTp = tp;
        refresh(position, books.login(position.login));
        tx.positionUpdated(position);
    }

    /** Re-prices a position: its current price and floating profit. */
    void markToMarket(BookTransaction tx, SimPosition position) {
        refresh(position, books.login(position.login));
        tx.positionUpdated(position);
    }

    /**
     * What the server does on every tick: positions whose SL or TP the price reached are closed (reason SL or
     * TP), then accounts whose margin level fell below the stop-out level lose all their positions (reason SO).
     */
    void runTriggers(BookTransaction tx) {
        List<SimPosition> hits = new ArrayList<>();
        for (SimPosition position : books.positions()) {
            if (triggered(position) != null) {
                hits.add(position);
            }
        }
        for (SimPosition position : hits) {
            DealReason hit = triggered(position);
            BigDecimal level = hit == DealReason.SL ? position.priceSl : position.priceTp;
            close(tx, position, position.volume, hit, (hit == DealReason.SL ? "sl " : "tp ") + level.toPlainString());
        }
        for (Long number : books.loginsWithPositions()) {
            SimLogin login = books.login(number);
            if (math.estimateMarginLevel(books, login) > STOP_OUT_SCREEN) {
                continue;
            }
            BigDecimal level = math.marginLevel(books, login);
            if (level != null && level.compareTo(TradeMath.STOP_OUT_LEVEL) < 0) {
                for (SimPosition position : new ArrayList<>(books.positionsOf(number))) {
                    close(tx, position, position.volume, DealReason.SO, "so " + level.toPlainString() + "%");
                }
            }
        }
    }

    private DealReason triggered(SimPosition position) {
        BigDecimal price = books.market.closePrice(position.symbol, position.action);
        boolean buy = position.action == PositionAction.BUY;
        if (position.hasSl() && (buy ? price.compareTo(position.priceSl) <= 0 : price.compareTo(position.priceSl) >= 0)) {
            return DealReason.SL;
        }
        if (position.hasTp() && (buy ? price.compareTo(position.priceTp) >= 0 : price.compareTo(position.priceTp) <= 0)) {
            return DealReason.TP;
        }
        return null;
    }

    /** A balance-type operation by the dealer (deposit, withdrawal, credit, bonus, fee ...). */
    Deal balanceDeal(BookTransaction tx, SimLogin login, DealAction action, BigDecimal amount, String comment) {
        return tx.balanceDeal(login, action, amount, DealReason.DEALER, comment);
    }

    /** An instant IB commission (DEAL_AGENT) to the login's agent for a commissioned trade deal. */
    private void payAgent(BookTransaction tx, SimLogin client, Deal deal) {
        SimLogin agent = client.agent == 0 ? null : books.login(client.agent);
        if (agent == null || agent.login == client.login || deal.commission().signum() == 0) {
            return;
        }
        tx.balanceDeal(agent, DealAction.AGENT, math.agentCommission(deal.volume(), agent.currency()),
                DealReason.DEALER, "agent #" + deal.ticket());
    }

    private void refresh(SimPosition position, SimLogin login) {
        position.priceCurrent = books.market.closePrice(position.symbol, position.action);
        position.profit = math.floating(position, login.currency());
    }

    /** Caps a loss so that the balance ends no lower than zero (or where it was, if a dealer took it below). */
    private static Fill capLoss(SimLogin login, Fill fill) {
        BigDecimal floor = login.balance.min(TradeMath.ZERO);
        BigDecimal after = login.balance.add(fill.profit()).add(fill.commission());
        if (after.compareTo(floor) >= 0) {
            return fill;
        }
        BigDecimal commission = fill.commission();
        BigDecimal profit;
        if (login.balance.add(commission).compareTo(floor) >= 0) {
            profit = floor.subtract(login.balance).subtract(commission);
        } else {
            commission = floor.subtract(login.balance);
            profit = TradeMath.ZERO;
        }
        return new Fill(fill.side(), fill.entry(), fill.reason(), fill.volume(), fill.price(), profit, commission,
                fill.comment());
    }

    static DealAction dealSide(PositionAction side) {
        return side == PositionAction.BUY ? DealAction.BUY : DealAction.SELL;
    }
}

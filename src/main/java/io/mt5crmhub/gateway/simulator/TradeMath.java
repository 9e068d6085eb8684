package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import io.mt5crmhub.event.PositionAction;

/** Money arithmetic of the simulated server, all in BigDecimal and rounded to cents in the account currency. */
final class TradeMath {

    static final BigDecimal ZERO = new BigDecimal("0.00");
    static final BigDecimal LOT_STEP = new BigDecimal("0.01");
    /** Margin level (equity / margin, percent) below which the server stops the account out. */
    static final BigDecimal STOP_OUT_LEVEL = new BigDecimal("50");

    private static final BigDecimal COMMISSION_PER_LOT_USD = new BigDecimal("3.50");
    private static final BigDecimal AGENT_PER_LOT_USD = new BigDecimal("1.50");
    private static final BigDecimal HUNDRED = new BigDecimal("100");

    private final MarketPrices market;

    TradeMath(MarketPrices market) {
        this.market = market;
    }

    static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    /** Rounds a volume down to the 0.01 lot step. */
    static BigDecimal lots(BigDecimal volume) {
        return volume.setScale(2, RoundingMode.DOWN);
    }

    /** Profit of {@code volume} lots of a {@code side} position moved from {@code open} to {@code close}. */
    BigDecimal profit(SymbolSpec symbol, PositionAction side, BigDecimal volume, BigDecimal open, BigDecimal close,
            String currency) {
        BigDecimal points = side == PositionAction.BUY ? close.subtract(open) : open.subtract(close);
        BigDecimal inQuote = points.multiply(volume).multiply(symbol.contractSize());
        return money(market.convert(inQuote, symbol.profitCurrency(), currency));
    }

    /** The floating profit of an open position at the current price. */
    BigDecimal floating(SimPosition position, String currency) {
        return profit(position.symbol, position.action, position.volume, position.priceOpen,
                market.closePrice(position.symbol, position.action), currency);
    }

    /** Margin for {@code volume} lots at the current price: the notional over the leverage. */
    BigDecimal margin(SymbolSpec symbol, PositionAction side, BigDecimal volume, String currency, int leverage) {
        BigDecimal notional = volume.multiply(symbol.contractSize()).multiply(market.openPrice(symbol, side));
        BigDecimal inAccount = market.convert(notional, symbol.profitCurrency(), currency);
        return money(inAccount.divide(BigDecimal.valueOf(leverage), MathContext.DECIMAL64));
    }

    /** The broker's commission for one trade deal, negative, at least one cent. */
    BigDecimal commission(BigDecimal volume, String currency) {
        return perLot(COMMISSION_PER_LOT_USD, volume, currency).negate();
    }

    /** What an IB earns when its client trades {@code volume} lots, positive, at least one cent. */
    BigDecimal agentCommission(BigDecimal volume, String currency) {
        return perLot(AGENT_PER_LOT_USD, volume, currency);
    }

    private BigDecimal perLot(BigDecimal usdPerLot, BigDecimal volume, String currency) {
        return money(market.convert(usdPerLot.multiply(volume), "USD", currency)).max(LOT_STEP);
    }

    BigDecimal floatingTotal(Books books, SimLogin login) {
        BigDecimal total = ZERO;
        for (SimPosition position : books.positionsOf(login.login)) {
            total = total.add(floating(position, login.currency()));
        }
        return total;
    }

    BigDecimal usedMargin(Books books, SimLogin login) {
        BigDecimal total = ZERO;
        for (SimPosition position : books.positionsOf(login.login)) {
            total = total.add(margin(position.symbol, position.action, position.volume, login.currency(),
                    login.leverage));
        }
        return total;
    }

    BigDecimal equity(Books books, SimLogin login) {
        return login.balance.add(login.credit).add(floatingTotal(books, login));
    }

    /** MT5 free margin: balance + credit + floating profit - used margin. */
    BigDecimal freeMargin(Books books, SimLogin login) {
        return equity(books, login).subtract(usedMargin(books, login));
    }

    /**
     * A fast estimate of the margin level in percent (infinite without positions), in doubles. Used only to
     * skip accounts far from stop-out; the decision itself is made with {@link #marginLevel}.
     */
    double estimateMarginLevel(Books books, SimLogin login) {
        double equity = login.balance.doubleValue() + login.credit.doubleValue();
        double margin = 0;
        for (SimPosition position : books.positionsOf(login.login)) {
            SymbolSpec symbol = position.symbol;
            double rate = market.estimateRate(symbol.profitCurrency(), login.currency());
            double units = position.volume.doubleValue() * symbol.contractUnits();
            double close = market.estimateClosePrice(symbol, position.action);
            double open = position.priceOpen.doubleValue();
            equity += (position.action == PositionAction.BUY ? close - open : open - close) * units * rate;
            margin += market.estimateOpenPrice(symbol, position.action) * units * rate / login.leverage;
        }
        return margin == 0 ? Double.POSITIVE_INFINITY : equity * 100 / margin;
    }

    /** Equity over used margin in percent, or null without open positions. */
    BigDecimal marginLevel(Books books, SimLogin login) {
        BigDecimal margin = usedMargin(books, login);
        if (margin.signum() == 0) {
            return null;
        }
        return equity(books, login).multiply(HUNDRED).divide(margin, 2, RoundingMode.HALF_UP);
    }
}

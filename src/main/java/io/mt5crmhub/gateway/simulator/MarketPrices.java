package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.mt5crmhub.event.PositionAction;

/**
 * Bid prices of the simulated symbols, moved by a seeded random walk with a weak pull back to the start price
 * (so a long run does not drift off into absurd prices) and rare shocks. The walk uses doubles; every stored
 * price is rounded to the symbol's digits, so all money computed from prices stays decimal. The walk uses only
 * the four basic IEEE operations (no {@code Math.exp} and the like, which may differ between JVMs and JIT
 * levels), so a seed gives bit-identical prices everywhere.
 */
final class MarketPrices {

    private static final double SQRT3 = 1.7320508075688772;
    private static final double REVERSION = 0.001;
    private static final double SHOCK_PROBABILITY = 0.002;

    private final EnumMap<SymbolSpec, BigDecimal> bids = new EnumMap<>(SymbolSpec.class);
    /** The same prices as doubles, for estimates: indexed by symbol ordinal. */
    private final double[] bidEstimates = new double[SymbolSpec.values().length];
    private final double[] askEstimates = new double[SymbolSpec.values().length];

    MarketPrices() {
        for (SymbolSpec symbol : SymbolSpec.values()) {
            put(symbol, symbol.startPrice());
        }
    }

    private void put(SymbolSpec symbol, BigDecimal bid) {
        bids.put(symbol, bid);
        bidEstimates[symbol.ordinal()] = bid.doubleValue();
        askEstimates[symbol.ordinal()] = bid.add(symbol.spread()).doubleValue();
    }

    BigDecimal bid(SymbolSpec symbol) {
        return bids.get(symbol);
    }

    BigDecimal ask(SymbolSpec symbol) {
        return bids.get(symbol).add(symbol.spread());
    }

    /** MT5 buys at the ask and sells at the bid. */
    BigDecimal openPrice(SymbolSpec symbol, PositionAction side) {
        return side == PositionAction.BUY ? ask(symbol) : bid(symbol);
    }

    /** A position closes with the opposite side: a BUY at the bid, a SELL at the ask. */
    BigDecimal closePrice(SymbolSpec symbol, PositionAction side) {
        return side == PositionAction.BUY ? bid(symbol) : ask(symbol);
    }

    void set(SymbolSpec symbol, BigDecimal bid) {
        put(symbol, symbol.round(bid));
    }

    /** {@link #openPrice} as a double, for estimates only. */
    double estimateOpenPrice(SymbolSpec symbol, PositionAction side) {
        return side == PositionAction.BUY ? askEstimates[symbol.ordinal()] : bidEstimates[symbol.ordinal()];
    }

    /** {@link #closePrice} as a double, for estimates only. */
    double estimateClosePrice(SymbolSpec symbol, PositionAction side) {
        return side == PositionAction.BUY ? bidEstimates[symbol.ordinal()] : askEstimates[symbol.ordinal()];
    }

    Map<SymbolSpec, BigDecimal> snapshot() {
        return new EnumMap<>(bids);
    }

    /** One market step: every symbol moves; now and then one jumps (news). */
    void tick(SplittableRandom random) {
        for (SymbolSpec symbol : SymbolSpec.values()) {
            double price = bidEstimates[symbol.ordinal()];
            double start = symbol.startPrice().doubleValue();
            double move = symbol.volatility() * SQRT3 * (random.nextDouble() * 2 - 1)
                    + REVERSION * (start - price) / start;
            move(symbol, price, move);
        }
        if (random.nextDouble() < SHOCK_PROBABILITY) {
            SymbolSpec symbol = SymbolSpec.values()[random.nextInt(SymbolSpec.values().length)];
            double size = 0.005 + random.nextDouble() * 0.015;
            move(symbol, bidEstimates[symbol.ordinal()], random.nextBoolean() ? size : -size);
        }
    }

    private void move(SymbolSpec symbol, double price, double relative) {
        BigDecimal next = symbol.round(price * (1 + relative));
        BigDecimal floor = symbol.startPrice().divide(BigDecimal.TEN, symbol.digits(), RoundingMode.HALF_UP);
        put(symbol, next.max(floor));
    }

    /** Converts an amount between the currencies the simulator knows, through USD at the current bids. */
    BigDecimal convert(BigDecimal amount, String from, String to) {
        if (from.equals(to)) {
            return amount;
        }
        return fromUsd(toUsd(amount, from), to);
    }

    /** The conversion rate between two currencies as a double, for estimates only. */
    double estimateRate(String from, String to) {
        return from.equals(to) ? 1 : usdPerUnit(from) / usdPerUnit(to);
    }

    private double usdPerUnit(String currency) {
        return switch (currency) {
            case "USD" -> 1;
            case "EUR" -> bidEstimates[SymbolSpec.EURUSD.ordinal()];
            case "GBP" -> bidEstimates[SymbolSpec.GBPUSD.ordinal()];
            case "JPY" -> 1 / bidEstimates[SymbolSpec.USDJPY.ordinal()];
            default -> throw new IllegalArgumentException("no rate for " + currency);
        };
    }

    private BigDecimal toUsd(BigDecimal amount, String currency) {
        return switch (currency) {
            case "USD" -> amount;
            case "EUR" -> amount.multiply(bid(SymbolSpec.EURUSD));
            case "GBP" -> amount.multiply(bid(SymbolSpec.GBPUSD));
            case "JPY" -> amount.divide(bid(SymbolSpec.USDJPY), MathContext.DECIMAL64);
            default -> throw new IllegalArgumentException("no rate for " + currency);
        };
    }

    private BigDecimal fromUsd(BigDecimal amount, String currency) {
        return switch (currency) {
            case "USD" -> amount;
            case "EUR" -> amount.divide(bid(SymbolSpec.EURUSD), MathContext.DECIMAL64);
            case "GBP" -> amount.divide(bid(SymbolSpec.GBPUSD), MathContext.DECIMAL64);
            case "JPY" -> amount.multiply(bid(SymbolSpec.USDJPY));
            default -> throw new IllegalArgumentException("no rate for " + currency);
        };
    }
}

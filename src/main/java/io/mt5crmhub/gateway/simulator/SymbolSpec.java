package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The symbols the simulated server quotes, with their MT5 contract specification. {@code volatility} is the
 * typical relative move of the price per simulated action.
 */
enum SymbolSpec {
    EURUSD(5, 100_000, "USD", 12, "1.08500", 0.00012),
    GBPUSD(5, 100_000, "USD", 15, "1.27000", 0.00014),
    USDJPY(3, 100_000, "JPY", 15, "150.000", 0.00012),
    XAUUSD(2, 100, "USD", 30, "2350.00", 0.00020);

    private final int digits;
    private final BigDecimal contractSize;
    private final String profitCurrency;
    private final BigDecimal spread;
    private final BigDecimal startPrice;
    private final double volatility;
    private final double pointsPerUnit;
    private final double contractUnits;

    SymbolSpec(int digits, int contractSize, String profitCurrency, int spreadPoints, String startPrice,
            double volatility) {
        this.digits = digits;
        this.contractSize = BigDecimal.valueOf(contractSize);
        this.profitCurrency = profitCurrency;
        this.spread = BigDecimal.valueOf(spreadPoints).movePointLeft(digits);
        this.startPrice = new BigDecimal(startPrice);
        this.volatility = volatility;
        this.pointsPerUnit = Math.pow(10, digits);
        this.contractUnits = contractSize;
    }

    int digits() {
        return digits;
    }

    BigDecimal contractSize() {
        return contractSize;
    }

    /** The currency profits are computed in (the quote currency). */
    String profitCurrency() {
        return profitCurrency;
    }

    BigDecimal spread() {
        return spread;
    }

    BigDecimal startPrice() {
        return startPrice;
    }

    double volatility() {
        return volatility;
    }

    BigDecimal round(BigDecimal price) {
        return price.setScale(digits, RoundingMode.HALF_UP);
    }

    /** Rounds half up to the symbol's digits (prices are positive), without going through Double.toString. */
    BigDecimal round(double price) {
        return BigDecimal.valueOf(Math.round(price * pointsPerUnit), digits);
    }

    double contractUnits() {
        return contractUnits;
    }

    BigDecimal zeroPrice() {
        return BigDecimal.ZERO.setScale(digits);
    }

    /** The symbol of a stored deal or position; the empty symbol of a balance deal has none. */
    static SymbolSpec ofNullable(String symbol) {
        return symbol == null || symbol.isEmpty() ? null : valueOf(symbol);
    }
}

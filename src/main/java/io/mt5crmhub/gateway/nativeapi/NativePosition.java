package io.mt5crmhub.gateway.nativeapi;

/**
 * A position copied out of an IMTPosition, as MT5 sent it: the action code not yet mapped, money not yet decimal,
 * times in milliseconds of trade-server time, {@code volume} in 1/10000 lot.
 */
public record NativePosition(long ticket, long login, int action, String symbol, long volume, double priceOpen,
        double priceCurrent, double priceSl, double priceTp, double profit, double storage, String comment,
        long timeCreateMsc, long timeUpdateMsc) {
}

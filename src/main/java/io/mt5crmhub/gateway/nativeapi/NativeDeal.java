package io.mt5crmhub.gateway.nativeapi;

/**
 * A deal copied out of an IMTDeal, as MT5 sent it: codes not yet mapped, money not yet decimal, time in
 * milliseconds of trade-server time. {@code volume} is in 1/10000 lot; unsigned fields are carried as raw bits.
 */
public record NativeDeal(long ticket, long login, long order, int action, int entry, int reason, int digits,
        String symbol, long volume, double price, double profit, double storage, double commission,
        long positionId, String comment, long timeMsc) {
}

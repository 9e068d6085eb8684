package io.mt5crmhub.gateway.nativeapi;

/**
 * A user (one login) copied out of an IMTUser: {@code leverage} is MT5's unsigned value as raw bits,
 * {@code registration} seconds of trade-server time, {@code agent} the IB login (0 for none).
 */
public record NativeUser(long login, String group, String name, String firstName, String lastName, String email,
        int leverage, double balance, double credit, long agent, long registration) {
}

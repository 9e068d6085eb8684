package io.mt5crmhub.balance;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import io.mt5crmhub.api.ApiKeys;
import io.mt5crmhub.gateway.ConfigurationException;

/**
 * The {@code hub.api.keys} and {@code hub.balance.*} settings.
 *
 * @param apiKeys        bearer keys of the API; none turns the API off
 * @param confirmWait    how long a POST waits for CONFIRMED or REJECTED before answering 202 with the state so far
 * @param grace          after this, a request not CONFIRMED or REJECTED is listed by reconciliation
 * @param resolveEvery   how often waiting requests are sent (server back) or looked up (SENT, UNKNOWN)
 * @param answerTimeout  a SENT request with no recorded answer and no deal after this is reported UNKNOWN
 * @param reconcileSettle how long reconciliation re-checks differing logins while deals are still arriving
 */
public record BalanceSettings(ApiKeys apiKeys, Duration confirmWait, Duration grace, Duration resolveEvery,
        Duration answerTimeout, Duration reconcileSettle) {

    public static BalanceSettings load(Function<String, Optional<String>> lookup) {
        return new BalanceSettings(
                ApiKeys.parse(lookup.apply("hub.api.keys").orElse("")),
                Duration.ofMillis(number(lookup, "hub.balance.confirm-wait-ms", 3000, 0, 60_000)),
                Duration.ofSeconds(number(lookup, "hub.balance.grace-seconds", 300, 0, 86_400 * 30)),
                Duration.ofSeconds(number(lookup, "hub.balance.resolve-seconds", 5, 1, 3600)),
                Duration.ofSeconds(number(lookup, "hub.balance.answer-timeout-seconds", 30, 1, 3600)),
                Duration.ofSeconds(number(lookup, "hub.balance.reconcile-settle-seconds", 5, 0, 600)));
    }

    private static long number(Function<String, Optional<String>> lookup, String key, long dflt, long min, long max) {
        Optional<String> raw = lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(raw.get());
            if (v < min || v > max) {
                throw new ConfigurationException(key + "=" + v + " is out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + "='" + raw.get() + "' is not a whole number");
        }
    }
}

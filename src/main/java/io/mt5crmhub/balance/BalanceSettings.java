package io.mt5crmhub.balance;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.mt5crmhub.config.Settings;

/**
 * The {@code hub.balance.*} settings.
 *
 * @param enabled         false: no balance operations at all (no API, no queue consumer, no confirmation route)
 * @param confirmWait     how long a POST waits for CONFIRMED or REJECTED before answering 202 with the state so far
 * @param grace           after this, a request not CONFIRMED or REJECTED is listed by reconciliation
 * @param resolveEvery    how often waiting requests are sent (server back) or looked up (SENT, UNKNOWN)
 * @param answerTimeout   a SENT request with no recorded answer and no deal after this is reported UNKNOWN
 * @param reconcileSettle how long reconciliation re-checks differing logins while deals are still arriving
 */
public record BalanceSettings(boolean enabled, Duration confirmWait, Duration grace, Duration resolveEvery,
        Duration answerTimeout, Duration reconcileSettle) {

    public static BalanceSettings from(Settings settings) {
        Settings balance = settings.under("hub.balance.");
        return new BalanceSettings(balance.getBoolean("enabled"),
                balance.getDuration("confirm-wait-ms", ChronoUnit.MILLIS, 0, 60_000),
                balance.getDuration("grace-seconds", ChronoUnit.SECONDS, 0, 86_400 * 30),
                balance.getDuration("resolve-seconds", ChronoUnit.SECONDS, 1, 3600),
                balance.getDuration("answer-timeout-seconds", ChronoUnit.SECONDS, 1, 3600),
                balance.getDuration("reconcile-settle-seconds", ChronoUnit.SECONDS, 0, 600));
    }
}

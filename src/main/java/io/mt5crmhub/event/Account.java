package io.mt5crmhub.event;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An MT5 login ({@code IMTUser}): one trading account. {@code agent} is the IB login that earns agent
 * commission on it (0 for none). {@code updatedAt} orders the updates of one login.
 */
public record Account(
        String group,
        String name,
        String email,
        int leverage,
        String currency,
        BigDecimal balance,
        BigDecimal credit,
        long agent,
        Instant registeredAt,
        Instant updatedAt) {
}

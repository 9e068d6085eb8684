package io.mt5crmhub.gateway;

import java.math.BigDecimal;
import java.util.Objects;

import io.mt5crmhub.event.DealAction;

/**
 * A balance operation for MT5's {@code DealerBalance}: a positive amount deposits, a negative one withdraws.
 * {@code type} is one of the balance deal actions (BALANCE, CREDIT, CHARGE, CORRECTION, BONUS, ...).
 */
public record BalanceOrder(long login, DealAction type, BigDecimal amount, String comment) {

    public BalanceOrder {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
        comment = comment == null ? "" : comment;
    }
}

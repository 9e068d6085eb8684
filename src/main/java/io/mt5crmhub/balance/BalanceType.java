package io.mt5crmhub.balance;

import java.math.BigDecimal;

import io.mt5crmhub.event.DealAction;

/**
 * What the CRM asks for, and the MT5 balance operation it becomes: the deal action and the sign of the amount
 * ({@code DealerBalance} deposits a positive value and withdraws a negative one).
 */
public enum BalanceType {
    DEPOSIT(DealAction.BALANCE, 1),
    WITHDRAWAL(DealAction.BALANCE, -1),
    CREDIT_IN(DealAction.CREDIT, 1),
    CREDIT_OUT(DealAction.CREDIT, -1),
    BONUS(DealAction.BONUS, 1),
    /** A correction carries its own sign: the one type whose amount may be negative. */
    CORRECTION(DealAction.CORRECTION, 0);

    private final DealAction action;
    private final int sign;

    BalanceType(DealAction action, int sign) {
        this.action = action;
        this.sign = sign;
    }

    public DealAction action() {
        return action;
    }

    /** Whether the CRM's amount may be negative (only for a correction). */
    public boolean isSigned() {
        return sign == 0;
    }

    /** The signed amount MT5 is sent for the CRM's amount. */
    public BigDecimal mt5Amount(BigDecimal amount) {
        return sign < 0 ? amount.negate() : amount;
    }
}

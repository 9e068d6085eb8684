package io.mt5crmhub.balance;

/**
 * Where a balance operation stands. RECEIVED: stored, never sent to MT5. SENT: the hub committed that it is
 * calling MT5 (and, once MT5 answered, holds the deal ticket) and waits for the deal to come back. CONFIRMED: the
 * deal exists on MT5. REJECTED: MT5 refused; nothing changed. UNKNOWN: the call failed with the outcome unknown
 * and no deal carrying the reference has been found yet; it is looked up again, never re-sent.
 */
public enum BalanceState {
    RECEIVED, SENT, CONFIRMED, REJECTED, UNKNOWN;

    public boolean isFinal() {
        return this == CONFIRMED || this == REJECTED;
    }
}

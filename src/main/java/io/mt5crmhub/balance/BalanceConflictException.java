package io.mt5crmhub.balance;

/** The crmTxnId is already stored with other parameters: the CRM reused an id for a different operation (409). */
public class BalanceConflictException extends Exception {

    private final BalanceOperation stored;

    public BalanceConflictException(BalanceOperation stored) {
        super("crmTxnId '" + stored.crmTxnId() + "' was already used for a different operation ("
                + stored.type() + " " + stored.amount().toPlainString() + " on " + stored.server() + " login "
                + stored.login() + "); use a new crmTxnId");
        this.stored = stored;
    }

    public BalanceOperation stored() {
        return stored;
    }
}

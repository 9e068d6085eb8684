package io.mt5crmhub.balance;

/** Only an UNKNOWN balance operation can be closed by an operator (409 with the operation as stored). */
public class BalanceNotClosableException extends Exception {

    private final BalanceOperation stored;

    public BalanceNotClosableException(BalanceOperation stored) {
        super("balance operation '" + stored.crmTxnId() + "' is " + stored.state() + ": only an UNKNOWN operation can"
                + " be closed");
        this.stored = stored;
    }

    public BalanceOperation stored() {
        return stored;
    }
}

package io.mt5crmhub.component;

import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;

/** MT5 refused a balance operation; nothing was applied. Carries MT5's retcode. */
public class Mt5BalanceRefusedException extends Exception {

    private final int retcode;

    public Mt5BalanceRefusedException(String server, BalanceOrder order, BalanceResult result) {
        super("MT5 server " + server + " refused " + order.type() + " " + order.amount() + " on login " + order.login()
                + ": " + result.retcode() + " " + result.message());
        this.retcode = result.retcode();
    }

    public int retcode() {
        return retcode;
    }
}

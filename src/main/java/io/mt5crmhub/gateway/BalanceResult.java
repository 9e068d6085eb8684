package io.mt5crmhub.gateway;

/** MT5's answer to a balance operation: {@link Mt5Retcode#REQUEST_DONE} with the deal ticket, or a refusal. */
public record BalanceResult(int retcode, String message, long dealTicket) {

    public static BalanceResult done(long dealTicket) {
        return new BalanceResult(Mt5Retcode.REQUEST_DONE, Mt5Retcode.describe(Mt5Retcode.REQUEST_DONE), dealTicket);
    }

    public static BalanceResult refused(int retcode, String message) {
        return new BalanceResult(retcode, message, 0L);
    }

    public boolean isDone() {
        return retcode == Mt5Retcode.REQUEST_DONE;
    }
}

package io.mt5crmhub.balance;

import java.util.Map;

/**
 * How many balance operations are in each state, and how many of the SENT ones have waited longer than the answer
 * timeout (MT5 has not confirmed them: someone should look).
 */
public record BalanceCounts(Map<BalanceState, Long> byState, long sentOverdue) {

    public long count(BalanceState state) {
        return byState.getOrDefault(state, 0L);
    }
}

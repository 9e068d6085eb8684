package io.mt5crmhub.deadletter;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How many dead letters are in each state ({@link DeadLetter#state()}), and when the oldest one not yet replayed
 * failed (null when none waits).
 */
public record DeadLetterCounts(Map<String, Long> byState, Instant oldestWaiting) {

    /** Every state a dead letter can be in. */
    public static final List<String> STATES = List.of("DEAD", "REPLAY_REQUESTED", "REPLAY_FAILED", "REPLAYED");

    public long count(String state) {
        return byState.getOrDefault(state, 0L);
    }
}

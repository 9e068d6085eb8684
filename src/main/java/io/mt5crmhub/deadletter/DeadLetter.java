package io.mt5crmhub.deadletter;

import java.time.Instant;

/** One row of {@code hub_dead_letter}: what failed for good, where, why, and what became of its replay. */
public record DeadLetter(long id, String eventId, String routeId, String reason, String body, Instant failedAt,
        Instant replayRequestedAt, Instant replayedAt, String replayError) {

    public String state() {
        if (replayedAt != null) {
            return "REPLAYED";
        }
        return replayRequestedAt != null ? "REPLAY_REQUESTED" : replayError != null ? "REPLAY_FAILED" : "DEAD";
    }
}

package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.mt5crmhub.testsupport.EventSamples;
import org.junit.jupiter.api.Test;

class CheckpointTrackerTest {

    private static final Instant T = Instant.parse("2026-11-24T00:00:00Z");
    private final CheckpointTracker tracker = new CheckpointTracker();

    @Test
    void nothingProcessedMeansNoCheckpoint() {
        assertThat(tracker.checkpoint(List.of())).isNull();
    }

    @Test
    void advancesToTheNewestCompletedWhenNothingIsPending() {
        long a = tracker.dispatched(T.plusSeconds(1));
        long b = tracker.dispatched(T.plusSeconds(3));
        tracker.completed(b);
        tracker.completed(a);

        assertThat(tracker.checkpoint(List.of())).isEqualTo(T.plusSeconds(3));
    }

    @Test
    void anInFlightDealHoldsTheCheckpointAtItsTime() {
        long a = tracker.dispatched(T.plusSeconds(1));
        long b = tracker.dispatched(T.plusSeconds(3));
        tracker.completed(b);

        assertThat(tracker.checkpoint(List.of())).isEqualTo(T.plusSeconds(1));
        tracker.completed(a);
        assertThat(tracker.checkpoint(List.of())).isEqualTo(T.plusSeconds(3));
    }

    @Test
    void aFailedDealHoldsTheCheckpointForGood() {
        long a = tracker.dispatched(T.plusSeconds(2));
        tracker.failed(a);
        long b = tracker.dispatched(T.plusSeconds(9));
        tracker.completed(b);

        assertThat(tracker.checkpoint(List.of())).isEqualTo(T.plusSeconds(2));
        assertThat(tracker.hasFailures()).isTrue();
    }

    @Test
    void queuedDealsHoldTheCheckpoint() {
        long a = tracker.dispatched(T.plusSeconds(5));
        tracker.completed(a);
        var queued = EventSamples.deposit("s", 1, 50001, "1", "");

        assertThat(tracker.checkpoint(List.of(queued))).isEqualTo(queued.occurredAt());
    }

    @Test
    void aBackfillClearsOnlyTheFailuresItReadAgain() {
        long before = tracker.dispatched(T.plusSeconds(2));
        tracker.failed(before);
        var readAgain = tracker.failures();
        // the back-fill runs; its own copy of a later deal fails before it ends
        long during = tracker.dispatched(T.plusSeconds(4));
        tracker.failed(during);
        tracker.clearFailures(readAgain);
        long later = tracker.dispatched(T.plusSeconds(9));
        tracker.completed(later);

        assertThat(tracker.checkpoint(List.of())).isEqualTo(T.plusSeconds(4));
        assertThat(tracker.hasFailures()).isTrue();
    }
}

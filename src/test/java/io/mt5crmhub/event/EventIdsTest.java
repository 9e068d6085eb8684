package io.mt5crmhub.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import io.mt5crmhub.testsupport.EventSamples;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    private static final Instant V1 = Instant.parse("2026-11-24T06:40:12.345Z");

    @Test
    void sameChangeGetsTheSameIdWhateverTheArrival() {
        Mt5Event live = EventSamples.position("live1", EventType.POSITION_UPDATED, 77, 50012, "1", "2.00", V1);
        Mt5Event backfilled = EventSamples.position("live1", EventType.POSITION_UPDATED, 77, 50012, "1", "2.00", V1)
                .withClientId("C-1");

        assertThat(backfilled.eventId()).isEqualTo(live.eventId()).isEqualTo("live1:position:77:updated:"
                + V1.toEpochMilli());
    }

    @Test
    void differentChangesNeverShareAnId() {
        assertThat(EventIds.of("a", EventType.ACCOUNT_UPDATED, 5, V1))
                .isNotEqualTo(EventIds.of("a", EventType.ACCOUNT_UPDATED, 5, V1.plusMillis(1)))
                .isNotEqualTo(EventIds.of("b", EventType.ACCOUNT_UPDATED, 5, V1))
                .isNotEqualTo(EventIds.of("a", EventType.ACCOUNT_UPDATED, 6, V1));
        assertThat(EventIds.of("a", EventType.POSITION_ADDED, 5, V1))
                .isNotEqualTo(EventIds.of("a", EventType.POSITION_DELETED, 5, V1))
                .isNotEqualTo(EventIds.of("a", EventType.DEAL_ADDED, 5, V1));
    }

    @Test
    void addedAndDeletedDoNotDependOnTime() {
        assertThat(EventIds.of("a", EventType.DEAL_ADDED, 9, V1)).isEqualTo(EventIds.of("a", EventType.DEAL_ADDED, 9, null))
                .isEqualTo("a:deal:9:added");
    }

    @Test
    void updateWithoutVersionIsRefused() {
        assertThatThrownBy(() -> EventIds.of("a", EventType.ACCOUNT_UPDATED, 5, null))
                .hasMessageContaining("version");
    }
}

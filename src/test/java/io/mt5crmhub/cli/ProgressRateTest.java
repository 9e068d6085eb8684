package io.mt5crmhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressRateTest {

    @Test
    void saysDoneAgainstTotalTheRateAndTheTimeLeftAtThatPace() {
        // 120 in 3 s: 40/s, the 380 left take 9.5 s
        assertThat(ProgressRate.describe(120, 500, "dead letters", 3.0))
                .isEqualTo("120 / 500 dead letters (24%), 40.0/s, about 10 s left");
    }

    @Test
    void nothingDoneYetHasNoTimeLeft() {
        assertThat(ProgressRate.describe(0, 1_200, "dead letters", 2.0))
                .isEqualTo("0 / 1,200 dead letters (0%), 0.0/s, time left unknown");
    }

    @Test
    void allDoneSaysHowLongItTook() {
        assertThat(ProgressRate.describe(3, 3, "MT5 servers", 12.4))
                .isEqualTo("3 / 3 MT5 servers (100%), 0.2/s, done in 12 s");
        assertThat(ProgressRate.describe(0, 0, "dead letters", 0)).isEqualTo("0 / 0 dead letters, 0.0/s, done in 0 s");
    }
}

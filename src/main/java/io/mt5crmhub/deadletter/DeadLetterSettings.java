package io.mt5crmhub.deadletter;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.mt5crmhub.config.Settings;

/** {@code hub.dead-letter.*}: how often the running hub looks for dead letters an operator asked to replay. */
public record DeadLetterSettings(Duration replayPoll) {

    public static DeadLetterSettings from(Settings settings) {
        return new DeadLetterSettings(settings.getDuration("hub.dead-letter.replay-poll-ms", ChronoUnit.MILLIS, 100,
                3_600_000));
    }
}

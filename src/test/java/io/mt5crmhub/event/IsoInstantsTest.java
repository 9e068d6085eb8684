package io.mt5crmhub.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import io.mt5crmhub.testsupport.EventSamples;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @Test
    void writesWhatInstantToStringWritesAndReadsItBack() {
        SplittableRandom random = new SplittableRandom(20261203);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L, YEAR_10000);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);

            String written = IsoInstants.format(instant);

            assertThat(written).isEqualTo(instant.toString());
            assertThat(IsoInstants.parseCanonical(written)).isEqualTo(instant);
        }
    }

    @Test
    void readsEveryFractionLengthAsTheStandardParserDoes() {
        String[] texts = {"2026-12-03T10:05:07Z", "2026-12-03T10:05:07.1Z", "2026-12-03T10:05:07.12Z",
            "2026-12-03T10:05:07.1234Z", "2026-12-03T10:05:07.12345678Z", "2026-12-03T10:05:07.123456789Z",
            "2024-02-29T23:59:59.000Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z"};
        for (String text : texts) {
            assertThat(IsoInstants.parseCanonical(text)).as(text)
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from));
        }
    }

    @Test
    void leavesEveryOtherFormToTheFullParser() {
        String[] texts = {"2026-12-03T10:05:07+01:00", "2026-12-03T10:05:07z", "2026-12-03 10:05:07Z",
            "2026-02-30T10:05:07Z", "2026-13-03T10:05:07Z", "2026-12-03T24:00:00Z", "2016-12-31T23:59:60Z",
            "2026-12-03T10:05:07.Z", "2026-12-03T10:05:07.1234567890Z", "+10000-01-01T00:00:00Z", "٢٠٢٦-12-03T10:05:07Z",
            " 2026-12-03T10:05:07Z", "2026-12-03T10:05:07,5Z", "2026-12-03T10:5:07Z"};
        for (String text : texts) {
            assertThat(IsoInstants.parseCanonical(text)).as(text).isNull();
        }
    }

    @Test
    void eventJsonStillTakesWhatJacksonTookAndRefusesWhatItRefused() {
        Mt5Event event = EventSamples.deposit("s", 7, 50001, "1.00", "");
        String json = EventJson.write(event);
        String written = "\"" + event.occurredAt() + "\"";
        Instant anHourLater = event.occurredAt().plusSeconds(3600);
        String withOffset = json.replace(written, "\"" + anHourLater.toString().replace("Z", "+01:00") + "\"");
        String broken = json.replace(written, "\"2026-11-31T06:47:48.345Z\"");
        assertThat(withOffset).isNotEqualTo(json);
        assertThat(broken).isNotEqualTo(json);

        assertThat(EventJson.read(withOffset).occurredAt()).isEqualTo(event.occurredAt());
        assertThatThrownBy(() -> EventJson.read(broken)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("occurredAt");
    }
}

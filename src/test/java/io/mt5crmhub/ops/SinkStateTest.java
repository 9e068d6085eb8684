package io.mt5crmhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.mt5crmhub.component.FeedFigures;
import org.junit.jupiter.api.Test;

/** When the status page calls a sink DOWN, and says why. */
class SinkStateTest {

    private static FeedFigures figures(int held, String feedProblem) {
        return new FeedFigures("rabbitmq-deals", "sim", "deals", held, 10_100, 0, 0.5, 10, 0, 0, 1.0, feedProblem);
    }

    @Test
    void upWhileItsRouteRunsAndItKeepsUp() {
        assertThat(SinkState.of(figures(3, null), true, null, Duration.ofSeconds(1))).isEqualTo(SinkState.UP);
        assertThat(SinkState.of(figures(0, null), true, null, Duration.ofMinutes(5)))
                .as("nothing waits: idle, not down").isEqualTo(SinkState.UP);
    }

    @Test
    void downWithTheReason() {
        assertThat(SinkState.of(figures(0, null), false, null, Duration.ZERO).reason()).contains("not started");
        assertThat(SinkState.of(figures(0, "thread ended"), true, null, Duration.ZERO).reason())
                .contains("thread ended");
        assertThat(SinkState.of(figures(0, null), true, "RabbitMQ is not connected: refused", Duration.ZERO))
                .isEqualTo(new SinkState("DOWN", "RabbitMQ is not connected: refused"));
        assertThat(SinkState.of(figures(5, null), true, null, SinkState.STALLED).state()).isEqualTo("DOWN");
    }

    @Test
    void eachRouteNamesItsSink() {
        assertThat(StatusSampler.sinkName(figures(0, null))).isEqualTo("rabbitmq");
        assertThat(StatusSampler.sinkName(new FeedFigures("my-own-route", "sim", "deals", 0, 1, 0, 0, 0, 0, 0, 0,
                null))).isEqualTo("my-own-route");
    }
}

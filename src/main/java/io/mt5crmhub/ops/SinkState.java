package io.mt5crmhub.ops;

import java.time.Duration;

import io.mt5crmhub.component.FeedFigures;

/**
 * Whether a sink's stream is UP or DOWN, and why. DOWN: its route does not run, its feed thread stopped, the sink's
 * own health check (named after the sink, e.g. {@code rabbitmq}) is DOWN, or events wait for it and it has completed
 * none for {@link #STALLED}. An MT5 server that is away leaves its sinks UP: the server's row says so.
 */
record SinkState(String state, String reason) {

    static final Duration STALLED = Duration.ofSeconds(30);
    static final SinkState UP = new SinkState("UP", null);

    static SinkState of(FeedFigures figures, boolean routeStarted, String sinkCheckDown, Duration sinceLastProgress) {
        if (!routeStarted) {
            return down("its route " + figures.routeId() + " is not started");
        }
        if (figures.feedProblem() != null) {
            return down("the mt5 feed stopped: " + figures.feedProblem());
        }
        if (sinkCheckDown != null) {
            return down(sinkCheckDown);
        }
        boolean waiting = figures.held() > 0 || figures.overflowed() > 0;
        if (waiting && sinceLastProgress.compareTo(STALLED) >= 0) {
            return down("events wait and none was completed for " + sinceLastProgress.toSeconds() + " s");
        }
        return UP;
    }

    private static SinkState down(String reason) {
        return new SinkState("DOWN", reason);
    }
}

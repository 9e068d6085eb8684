package io.mt5crmhub.component;

/**
 * One mt5: consumer's figures for one server, as of when they were read: its backlog, what its sink did, its
 * checkpoint, and whether its feed thread runs. Read without locks (see {@link Mt5Consumer#feedFigures()}).
 *
 * @param checkpointAgeSeconds NaN for streams without a checkpoint (accounts, positions) or before the first
 * @param feedProblem          why the feed thread stopped, or null while it runs
 */
public record FeedFigures(String routeId, String server, String stream, int held, int bound, long overflowed,
        double lagSeconds, long delivered, long deadLettered, long failed, double checkpointAgeSeconds,
        String feedProblem) {
}

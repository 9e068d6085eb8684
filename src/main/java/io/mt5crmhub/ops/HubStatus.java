package io.mt5crmhub.ops;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /status.json} answers: the hub as of its last sample, every figure from memory. Numbers that are
 * not known (no event yet, no checkpoint) are null. It holds MT5 server ids, route ids, logins at most: never a
 * password, key, URL with credentials or client data.
 *
 * @param ageSeconds how old the sample is when answered; {@code problems} says so when the sampler fell behind
 * @param problems   what could not be read, in words (an MT5 server away, the database not answering)
 */
public record HubStatus(String sampledAt, double ageSeconds, List<Server> servers, List<Sink> sinks,
        DeadLetters deadLetters, BalanceOperations balanceOperations, List<String> problems, History history) {

    /** One MT5 server; {@code since} is when it connected or, when not connected, went away. */
    public record Server(String id, String gateway, boolean connected, String since, String lastError,
            Double eventsPerSecond, Double lastEventAgeSeconds, Double lagSeconds, long eventsReceived,
            long reconnects, long skippedRecords) {
    }

    /** One sink's stream from one server: the route that feeds it, UP or DOWN and why, its backlog and counts. */
    public record Sink(String route, String sink, String server, String stream, String state, String reason,
            Double lagSeconds, int pending, int bound, long overflowed, long delivered, long deadLettered,
            long failed, Double checkpointAgeSeconds) {
    }

    /** Dead letters by state, read from the database in the background ({@code readAt}; null before the first). */
    public record DeadLetters(Map<String, Long> byState, Double oldestAgeSeconds, String readAt) {
    }

    /** Balance operations by state; {@code sentOverdue}: SENT longer ago than the answer timeout. */
    public record BalanceOperations(Map<String, Long> byState, long sentOverdue, String readAt) {
    }

    /** The last minutes, one point per sample: epoch seconds, and one column per series (null where unknown). */
    public record History(List<Long> times, Map<String, List<Double>> series) {
    }

    HubStatus aged(double age, List<String> moreProblems) {
        List<String> all = new java.util.ArrayList<>(problems);
        all.addAll(moreProblems);
        return new HubStatus(sampledAt, age, servers, sinks, deadLetters, balanceOperations, List.copyOf(all), history);
    }
}

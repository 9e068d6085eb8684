package io.mt5crmhub.deadletter;

/**
 * Where the replays asked for among some dead letters stand: {@code waiting} still to be replayed by the running
 * hub, {@code failed} replayed and refused again (each back to a dead letter with the new reason).
 */
public record ReplayBacklog(long waiting, long failed) {
}

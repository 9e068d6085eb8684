package io.mt5crmhub.pipeline;

import java.time.Instant;

import org.slf4j.Logger;

/**
 * Whether a sink reaches its broker, why not and since when, for its health check: written by the sink's calls and
 * its background ping, read by health checks without a lock. One log line per change of state or of reason, never
 * one per retry.
 */
public final class Reachability {

    private final Logger log;
    private final String broker;
    private volatile boolean reachable;
    private volatile String problem = "not connected yet";
    private volatile Instant since = Instant.now();

    /** @param broker how the log lines name the broker, e.g. {@code "Redis redis://host:6379"}; no secret in it */
    public Reachability(Logger log, String broker) {
        this.log = log;
        this.broker = broker;
    }

    public void reached() {
        if (!reachable) {
            reachable = true;
            problem = null;
            since = Instant.now();
            log.info("{} reachable", broker);
        }
    }

    public void lost(String reason) {
        if (reachable || problem == null || !problem.equals(reason)) {
            log.warn("{} not reachable: {}", broker, reason);
            since = Instant.now();
        }
        reachable = false;
        problem = reason;
    }

    public boolean isReachable() {
        return reachable;
    }

    /** Why it is not reachable; null while it is. */
    public String problem() {
        return problem;
    }

    /** When it last became reachable or unreachable (or the reason changed). */
    public Instant since() {
        return since;
    }
}

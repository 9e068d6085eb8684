package io.mt5crmhub.gateway.nativeapi;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sink callback's work so that nothing escapes to the library: JNA would only print the exception and hand
 * the library garbage. Each failure (an object that could not be read, a hand-off that threw) is logged and counted.
 */
final class SinkGuard {

    private static final Logger LOG = LoggerFactory.getLogger(SinkGuard.class);

    private final String sink;
    private final AtomicLong failures = new AtomicLong();

    SinkGuard(String sink) {
        this.sink = sink;
    }

    void run(Runnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            failures.incrementAndGet();
            LOG.warn("MT5 {} sink callback failed: {}", sink, e.toString());
        }
    }

    long failures() {
        return failures.get();
    }
}

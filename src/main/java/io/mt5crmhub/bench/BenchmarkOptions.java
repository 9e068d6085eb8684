package io.mt5crmhub.bench;

/**
 * What one benchmark run measures: {@code measured} events timed after {@code warmUp} untimed ones, published to
 * the broker at {@code rabbitmq}; the hub runs on H2, then on PostgreSQL at {@code postgres} when reachable; the
 * latency is recorded over {@code latencyEvents} events per sink with the simulator at {@code latencyRate} events/s;
 * the memory run starts the jar with {@code hubJavaOptions}; the queue sinks beside RabbitMQ are measured against
 * Redis at {@code redis} when reachable and Kafka at {@code kafka} (bootstrap servers) when given; the native
 * path is measured over bursts of {@code nativeDeals} deals from the Manager API stand-in at {@code nativeLibrary}
 * when given (empty: not given).
 */
public record BenchmarkOptions(int measured, int warmUp, String rabbitmq, String postgres, String postgresUser,
                               String redis, String kafka, int latencyRate, int latencyEvents, int backfillDeals,
                               java.util.Set<Part> parts, java.util.List<String> hubJavaOptions,
                               String nativeLibrary, int nativeDeals) {

    /** The parts of a run; all by default, fewer to repeat one while tuning it. */
    public enum Part {
        /** events/s of each setup on H2 and PostgreSQL */
        THROUGHPUT,
        /** hand-over to done at a fixed rate, beside the plain publisher's publish to confirm */
        LATENCY,
        /** the time to read a long MT5 history into the CRM store and RabbitMQ */
        BACKFILL,
        /** the resident memory of the hub in a process of its own, as shipped at full speed */
        MEMORY,
        /** each queue sink alone (RabbitMQ, Redis Streams, Kafka): events/s, and latency at the fixed rate */
        SINKS,
        /**
         * deals/s through the native gateway (JNA) from the Manager API stand-in's network thread, beside a bare
         * JNA callback's; skipped without the stand-in
         */
        NATIVE;

        /** Whether the part sends events through RabbitMQ (all but {@link #NATIVE}). */
        boolean needsBroker() {
            return this != NATIVE;
        }
    }
}

package io.mt5crmhub.bench;

/**
 * What one benchmark run measures: {@code measured} events timed after {@code warmUp} untimed ones, published to
 * the broker at {@code rabbitmq}; the hub runs on H2, then on PostgreSQL at {@code postgres} when reachable; the
 * latency is recorded over {@code latencyEvents} events per sink with the simulator at {@code latencyRate} events/s.
 */
public record BenchmarkOptions(int measured, int warmUp, String rabbitmq, String postgres, String postgresUser,
                               int latencyRate, int latencyEvents) {
}

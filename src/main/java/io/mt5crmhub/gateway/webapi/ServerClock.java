package io.mt5crmhub.gateway.webapi;

import java.time.Instant;

/**
 * MT5 keeps times in the trade server's local time, written as if it were UTC: a server at GMT+2 stores 14:00
 * local as the epoch value of 14:00Z. Events carry real UTC, so every time read is shifted back by the server's
 * time zone, and every time sent (a history window) is shifted forward.
 */
public record ServerClock(int timezoneMinutes) {

    public static final ServerClock UTC = new ServerClock(0);

    private long offsetMillis() {
        return timezoneMinutes * 60_000L;
    }

    /** A server-local epoch-millisecond value as the UTC instant it means. */
    public Instant toUtc(long serverMillis) {
        return Instant.ofEpochMilli(serverMillis - offsetMillis());
    }

    /** A UTC instant as server-local epoch milliseconds. */
    public long toServerMillis(Instant utc) {
        return utc.toEpochMilli() + offsetMillis();
    }

    /** A UTC instant as server-local epoch seconds, rounded down (MT5 history windows are whole seconds). */
    public long toServerSeconds(Instant utc) {
        return Math.floorDiv(toServerMillis(utc), 1000L);
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.time.Instant;

/** MT5 keeps trade-server local time; events carry UTC. {@code timezoneMinutes} is the server's offset from UTC. */
record NativeClock(int timezoneMinutes) {

    /** Server-local milliseconds to a UTC instant. */
    Instant utc(long serverMillis) {
        return Instant.ofEpochMilli(serverMillis).minusSeconds(timezoneMinutes * 60L);
    }

    /** A UTC instant to server-local seconds, as history requests take them. */
    long serverSeconds(Instant instant) {
        return instant.getEpochSecond() + timezoneMinutes * 60L;
    }
}

package io.mt5crmhub.event;

import java.time.Instant;

/**
 * Builds the deterministic {@code eventId}: the same MT5 change gets the same id however it reaches the hub
 * (live, back-fill, replay, redelivery), and two different changes never share one.
 * <ul>
 * <li>{@code <server>:<entity>:<key>:added} and {@code ...:deleted}: a record is added and deleted once;</li>
 * <li>{@code <server>:<entity>:<key>:updated:<version>}: the version is the record's MT5 update time in
 * milliseconds, which rises with every change of that record.</li>
 * </ul>
 * The key is the deal or position ticket, or the login for accounts.
 */
public final class EventIds {

    private EventIds() {
    }

    public static String of(String server, EventType type, long key, Instant version) {
        StringBuilder id = new StringBuilder(48)
                .append(server).append(':')
                .append(type.entity().wireName()).append(':')
                .append(key).append(':')
                .append(type.change().wireName());
        if (type.change() == ChangeType.UPDATED) {
            if (version == null) {
                throw new IllegalArgumentException("an update event needs the record's update time as its version");
            }
            id.append(':').append(version.toEpochMilli());
        }
        return id.toString();
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.time.Duration;

import io.mt5crmhub.gateway.GroupMask;
import io.mt5crmhub.gateway.ServerSettings;

/**
 * The {@code mt5.server.<id>.*} settings of a {@code native} gateway. The password never appears in a message or
 * in {@link #toString()}.
 *
 * @param libraryKey      the full key of {@code library}, for messages about the library
 * @param library         path of MT5APIManager64.dll (on Linux, any library with the same exports)
 * @param address         {@code host:port} of the MT5 access point, as Connect takes it
 * @param timeout         how long Connect may take
 * @param timezoneMinutes the trade server's time zone: MT5 times are server-local, events carry UTC
 * @param inboxCapacity   how many pushed records may wait for the pump; past it they are dropped and recovered
 * @param reconnectGrace  how long a lost connection is left to the API's own reconnect before the gateway
 *                        connects again itself
 */
public record NativeSettings(String serverId, String libraryKey, String library, String address, long login,
        String password, GroupMask groups, Duration timeout, int timezoneMinutes, int inboxCapacity,
        Duration reconnectGrace) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_INBOX_CAPACITY = 100_000;
    public static final Duration DEFAULT_RECONNECT_GRACE = Duration.ofSeconds(30);

    public static NativeSettings from(ServerSettings settings) {
        String library = settings.require("library");
        String address = settings.require("address");
        long login = settings.requireManagerLogin();
        String password = settings.requireSecret("password");
        GroupMask groups = settings.managerGroups();
        Duration timeout = settings.getDuration("timeout", DEFAULT_TIMEOUT, Duration.ofMillis(100),
                Duration.ofMinutes(10));
        int timezone = (int) settings.getLong("timezone-minutes", 0, -12 * 60, 14 * 60);
        int inbox = (int) settings.getLong("inbox-capacity", DEFAULT_INBOX_CAPACITY, 100, 10_000_000);
        Duration grace = settings.getDuration("reconnect-grace", DEFAULT_RECONNECT_GRACE, Duration.ZERO,
                Duration.ofHours(1));
        return new NativeSettings(settings.id(), settings.key("library"), library, address, login, password, groups,
                timeout, timezone, inbox, grace);
    }

    @Override
    public String toString() {
        return "NativeSettings[serverId=" + serverId + ", library=" + library + ", address=" + address + ", login="
                + login + ", password=***, groups=" + groups + ", timeout=" + timeout + ", timezoneMinutes="
                + timezoneMinutes + ", inboxCapacity=" + inboxCapacity + ", reconnectGrace=" + reconnectGrace + "]";
    }
}

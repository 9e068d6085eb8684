package io.mt5crmhub.gateway.webapi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.gateway.GroupMask;
import io.mt5crmhub.gateway.ServerSettings;

/**
 * The {@code mt5.server.<id>.*} settings of a {@code webapi} gateway. Every bad value throws a
 * {@link ConfigurationException} naming the key; the password and the trust store password never appear in a
 * message or in {@link #toString()}.
 *
 * @param address          {@code host:port} of the MT5 access point
 * @param pollInterval     how often new deals are polled
 * @param snapshotInterval how often positions and users are polled and compared with the previous snapshot
 * @param maxRequestsPerSecond requests this connection sends per second at most (MT5 has flood control)
 * @param timezoneMinutes  the trade server's time zone: MT5 times are server-local, events carry UTC
 * @param overlap          how far each deal window reaches back before the newest deal seen
 * @param requestTimeout   how long one request may take before its outcome counts as unknown
 * @param tls              false only for plain http in a lab
 * @param trustStore       a trust store holding the server's certificate (or its CA), instead of the JDK's
 * @param pinnedSha256     the SHA-256 fingerprint of the server's certificate, 64 hex digits, instead of a CA
 */
public record WebApiSettings(String serverId, String address, long login, String password, GroupMask groups,
        Duration pollInterval, Duration snapshotInterval, int maxRequestsPerSecond, int timezoneMinutes,
        Duration overlap, Duration requestTimeout, Duration connectTimeout, boolean tls, Optional<Path> trustStore,
        String trustStorePassword, Optional<String> pinnedSha256) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_REQUESTS_PER_SECOND = 20;
    public static final Duration DEFAULT_OVERLAP = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):(\\d{1,5})");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

    public static WebApiSettings from(ServerSettings settings) {
        String address = settings.require("address");
        if (address.contains("://") || !ADDRESS.matcher(address).matches()) {
            throw new ConfigurationException(settings.key("address") + "='" + address
                    + "' is not host:port (e.g. mt5.example.com:443)");
        }
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        if (port < 1 || port > 65535) {
            throw new ConfigurationException(settings.key("address") + "='" + address + "' has no valid port");
        }
        long login = settings.requireManagerLogin();
        String password = settings.requireSecret("password");
        GroupMask groups = settings.managerGroups();
        Duration poll = settings.getDuration("poll-interval", DEFAULT_POLL_INTERVAL, Duration.ofMillis(50),
                Duration.ofHours(1));
        Duration snapshot = settings.getDuration("snapshot-interval", DEFAULT_SNAPSHOT_INTERVAL,
                Duration.ofMillis(50), Duration.ofHours(1));
        int rate = (int) settings.getLong("max-requests-per-second", DEFAULT_MAX_REQUESTS_PER_SECOND, 1, 10_000);
        int timezone = (int) settings.getLong("timezone-minutes", 0, -12 * 60, 14 * 60);
        Duration overlap = settings.getDuration("overlap", DEFAULT_OVERLAP, Duration.ZERO, Duration.ofDays(1));
        Duration requestTimeout = settings.getDuration("request-timeout", DEFAULT_REQUEST_TIMEOUT,
                Duration.ofMillis(100), Duration.ofMinutes(10));
        Duration connectTimeout = settings.getDuration("connect-timeout", DEFAULT_CONNECT_TIMEOUT,
                Duration.ofMillis(100), Duration.ofMinutes(10));
        boolean tls = settings.getBoolean("tls", true);
        Optional<Path> trustStore = settings.get("tls-trust-store").map(Path::of);
        String trustStorePassword = settings.get("tls-trust-store-password").orElse("");
        Optional<String> pin = settings.get("tls-pinned-sha256").map(WebApiSettings::normaliseFingerprint);
        if (pin.isPresent() && !FINGERPRINT.matcher(pin.get()).matches()) {
            throw new ConfigurationException(settings.key("tls-pinned-sha256") + "='" + settings.get("tls-pinned-sha256")
                    .orElse("") + "' is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }
        if (trustStore.isPresent() && pin.isPresent()) {
            throw new ConfigurationException(settings.key("tls-trust-store") + " and " + settings.key("tls-pinned-sha256")
                    + " are both set: trust the server one way, either its CA/certificate in a trust store or its pinned"
                    + " fingerprint");
        }
        if (!tls && (trustStore.isPresent() || pin.isPresent())) {
            throw new ConfigurationException(settings.key("tls") + "=false turns TLS off, but "
                    + (pin.isPresent() ? settings.key("tls-pinned-sha256") : settings.key("tls-trust-store"))
                    + " is set: remove one of them");
        }
        if (trustStore.isPresent() && !Files.isReadable(trustStore.get())) {
            throw new ConfigurationException(settings.key("tls-trust-store") + "='" + trustStore.get()
                    + "' is not a readable file");
        }
        return new WebApiSettings(settings.id(), address, login, password, groups, poll, snapshot, rate, timezone,
                overlap, requestTimeout, connectTimeout, tls, trustStore, trustStorePassword, pin);
    }

    /** {@code https://host:port} (or {@code http://} in a lab). */
    public String baseUrl() {
        return (tls ? "https://" : "http://") + address;
    }

    /** How this server's local times turn into UTC. */
    public ServerClock clock() {
        return new ServerClock(timezoneMinutes);
    }

    /** Lower-case hex without separators. */
    public static String normaliseFingerprint(String text) {
        return text.trim().replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "WebApiSettings[server=" + serverId + ", address=" + address + ", login=" + login + ", password=***"
                + ", groups=" + groups + ", pollInterval=" + pollInterval + ", tls=" + tls + "]";
    }
}

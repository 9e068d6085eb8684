package io.mt5crmhub.gateway.webapi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.gateway.Backoff;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager session of a {@code webapi} gateway and whether the server is there: the first login with its checks
 * (a refusal at start names the key to fix, the server's clock is compared with the configured time zone), the
 * keep-alive ping, and the outages. When the server goes away the listener hears it once, one WARN is logged per
 * outage and kind of problem, and the poll thread tries again with exponential backoff and jitter (up to
 * {@value #BACKOFF_CAP_SECONDS} s); when the server answers again the session logs in anew (a restarted server forgot
 * it) and the listener hears {@code onConnected}. Flood control ({@code 12 Too frequent requests}) only slows polling
 * down.
 * <p>
 * The client is made at the first connect and kept across reconnects. The outage bookkeeping is used by the poll
 * thread only.
 */
final class WebApiSession {

    // logs as the gateway did before the session was a class of its own: operators filter on that name
    private static final Logger LOG = LoggerFactory.getLogger(WebApiGateway.class);
    static final int PING_SECONDS = 20;
    static final Duration PING_INTERVAL = Duration.ofSeconds(PING_SECONDS);
    static final int BACKOFF_CAP_SECONDS = 30;
    private static final Duration BACKOFF_START = Duration.ofSeconds(1);

    private final WebApiSettings settings;
    private final ServerClock clock;
    private final Supplier<Instant> now;
    private final Supplier<WebApiClient> clients;
    private final Backoff backoff = new Backoff(BACKOFF_START, Duration.ofSeconds(BACKOFF_CAP_SECONDS));
    private volatile WebApiClient client;
    private volatile boolean connected;
    private String lastProblem;

    WebApiSession(WebApiSettings settings, Supplier<Instant> now, Supplier<WebApiClient> clients) {
        this.settings = settings;
        this.clock = settings.clock();
        this.now = now;
        this.clients = clients;
    }

    /** The client, once a connect was tried; null before. */
    WebApiClient client() {
        return client;
    }

    /** The client for a request from outside the poll thread. */
    WebApiClient require() throws GatewayException {
        WebApiClient current = client;
        if (current == null) {
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "webapi gateway " + serverId() + " is not connected");
        }
        return current;
    }

    boolean isConnected() {
        return connected;
    }

    /**
     * Logs in for a connect and checks the server's clock; returns where the live deal stream starts.
     *
     * @throws WebApiException to be turned into {@link #startFailure}
     */
    Instant open() throws WebApiException, InterruptedException {
        if (client == null) {
            client = clients.get();
        }
        backoff.reset();
        lastProblem = null;
        client.login();
        return checkServerClock();
    }

    /** The connect succeeded: the server is there from now on. */
    void opened() {
        if (!settings.tls()) {
            LOG.warn("MT5 server {}: {}tls=false: the manager session and all data go over plain HTTP; for a lab"
                    + " only", serverId(), keyPrefix());
        }
        LOG.info("Logged in to MT5 server {} ({}) as manager {} over the Web API", serverId(), settings.address(),
                settings.login());
        connected = true;
    }

    /** A failure at start: a wrong password or an untrusted certificate names the key to fix. */
    RuntimeException startFailure(WebApiException e) {
        String key = keyPrefix();
        return switch (e.kind()) {
            case AUTH_REFUSED -> new ConfigurationException(key + "password: " + e.getMessage());
            case TLS_UNTRUSTED -> new ConfigurationException(e.getMessage());
            case UNREACHABLE, TIMEOUT -> new ConfigurationException(key + "address: " + e.getMessage());
            default -> new ConfigurationException(key + "address: MT5 server " + settings.address()
                    + " did not answer as an MT5 Web API: " + e.getMessage());
        };
    }

    /**
     * Compares the server's clock with the configured time zone and warns when they disagree; returns where the
     * live deal stream starts: now by the earlier of the two clocks, so a server clock running behind ours loses
     * nothing. Servers that do not answer {@code /api/time/server} in a known shape are simply trusted.
     */
    private Instant checkServerClock() throws WebApiException, InterruptedException {
        Instant hubNow = now.get();
        Long serverMillis;
        try {
            serverMillis = WebApiJson.serverTimeMillis(client.get("/api/time/server", Map.of()).answer());
        } catch (WebApiException e) {
            if (!e.serverAnswered()) {
                throw e;
            }
            LOG.debug("MT5 server {} did not tell its time: {}", serverId(), e.getMessage());
            return hubNow;
        }
        if (serverMillis == null) {
            return hubNow;
        }
        long aheadMinutes = Math.round((serverMillis - hubNow.toEpochMilli()) / 60_000.0);
        long roundedZone = Math.round(aheadMinutes / 15.0) * 15;
        if (Math.abs(aheadMinutes - settings.timezoneMinutes()) > 2) {
            LOG.warn("MT5 server {}: its clock reads {} minutes ahead of UTC but {}timezone-minutes={}: deal times"
                    + " would be off by the difference; set it to {} if the server's time zone is UTC{}{}:{}", serverId(),
                    aheadMinutes, keyPrefix(), settings.timezoneMinutes(), roundedZone,
                    roundedZone < 0 ? "-" : "+", Math.abs(roundedZone) / 60, String.format("%02d", Math.abs(roundedZone) % 60));
        }
        Instant serverNow = clock.toUtc(serverMillis);
        // a clock more than a day off is broken, not late: starting there would re-read years of deal history
        if (Duration.between(serverNow, hubNow).abs().compareTo(DealPoller.HORIZON) > 0) {
            return hubNow;
        }
        return serverNow.isBefore(hubNow) ? serverNow : hubNow;
    }

    // --- the poll thread ----------------------------------------------------------------------------------------

    /** While the server is away: log in again (a restarted server forgot the session); success ends the outage. */
    void reconnectIfAway(GatewayListener listener) throws WebApiException, InterruptedException {
        if (connected) {
            return;
        }
        client.forgetSession();
        client.login();
        connected = true;
        LOG.info("MT5 server {} ({}) answers again after {} failed attempts: back-filling, then polling from the"
                + " last deal seen", serverId(), settings.address(), backoff.failures());
        listener.onConnected();
    }

    /** The keep-alive ping, when nothing else was sent for {@value #PING_SECONDS} s. */
    void keepAlive() throws WebApiException, InterruptedException {
        if (client.idle().compareTo(PING_INTERVAL) >= 0) {
            client.ping();
        }
    }

    /** A poll went through. */
    void succeeded() {
        backoff.reset();
        lastProblem = null;
    }

    /**
     * A poll failed: tells the listener when this starts an outage. Returns how long to wait before the next try.
     */
    Duration failed(WebApiException e, GatewayListener listener) {
        Duration wait = backoff.next();
        // one WARN per outage and per kind of problem, not one per attempt
        String problem = e.kind() + " " + e.retcode();
        if (e.kind() == WebApiException.Kind.FLOOD) {
            if (!problem.equals(lastProblem)) {
                LOG.warn("webapi {}: {}; slowing down (next request in {} ms)", serverId(), e.getMessage(),
                        wait.toMillis());
            }
            lastProblem = problem;
            return wait;
        }
        if (connected) {
            connected = false;
            LOG.warn("MT5 server {} ({}) is away: {}. Polling again with backoff (up to {} s apart)", serverId(),
                    settings.address(), e.getMessage(), BACKOFF_CAP_SECONDS);
            listener.onDisconnected(e.getMessage());
        } else if (!problem.equals(lastProblem)) {
            LOG.warn("MT5 server {} is still away: {}", serverId(), e.getMessage());
        }
        lastProblem = problem;
        return wait;
    }

    /** The poll thread ended. */
    void closed() {
        connected = false;
    }

    private String serverId() {
        return settings.serverId();
    }

    private String keyPrefix() {
        return ServerSettings.PREFIX + serverId() + ".";
    }
}

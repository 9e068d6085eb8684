package io.mt5crmhub.gateway.webapi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.DeliveringEventSource;
import io.mt5crmhub.gateway.DeliveryThread;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestTimer;
import io.mt5crmhub.gateway.ServerSettings;

/**
 * The {@code webapi} gateway: an MT5 trade server through its Web API (HTTPS), from any OS. The Web API has no
 * push, so a poll thread ({@link WebApiPoller}) turns polling into the same event stream the other gateways emit:
 * <ul>
 * <li>deals: {@link LiveDeals}, by group mask and time window every {@code poll-interval};</li>
 * <li>users and open positions: {@link SnapshotPoller}, every {@code snapshot-interval}, into added / updated /
 * deleted events;</li>
 * <li>a keep-alive ping ({@code /api/test/access}) when nothing else was sent for
 * {@value WebApiSession#PING_SECONDS} s.</li>
 * </ul>
 * When the server goes away the gateway reports the connection lost (health DOWN), logs one WARN for the outage,
 * and tries again with exponential backoff and jitter ({@link WebApiSession}); when it answers again the listener
 * hears {@code onConnected}, the component back-fills from its checkpoint, and polling continues from the last deal
 * seen. History and snapshot reads are {@link WebApiReads}; balance operations {@link WebApiDealer}.
 */
public final class WebApiGateway extends DeliveringEventSource<WebApiPoller> implements Mt5Dealer {


    private final WebApiSettings settings;
    private final Supplier<Instant> now;
    private final WebApiSession session;
    private final WebApiReads reads;
    private final WebApiDealer dealer;
    private final LiveDeals liveDeals;
    private volatile RequestTimer requestTimer = RequestTimer.NONE;

    public WebApiGateway(WebApiSettings settings) {
        this(settings, Instant::now, () -> new WebApiClient(settings));
    }

    WebApiGateway(WebApiSettings settings, Supplier<Instant> now, Supplier<WebApiClient> clients) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.now = now;
        this.session = new WebApiSession(settings, now, () -> timed(clients.get()));
        this.reads = new WebApiReads(settings, session, now);
        this.dealer = new WebApiDealer(settings, session, reads, now);
        this.liveDeals = new LiveDeals(settings, reads, now);
    }

    /** Each session's client reports to the timer set last. */
    private WebApiClient timed(WebApiClient client) {
        client.timeRequests((operation, answered, nanos) -> requestTimer.record(operation, answered, nanos));
        return client;
    }

    @Override
    public void timeRequests(RequestTimer timer) {
        this.requestTimer = Objects.requireNonNull(timer, "timer");
    }

    /** The gateway for {@code mt5.server.<id>.gateway=webapi}. */
    public static WebApiGateway create(ServerSettings serverSettings) {
        return new WebApiGateway(WebApiSettings.from(serverSettings));
    }

    @Override
    public String serverId() {
        return settings.serverId();
    }

    @Override
    public String kind() {
        return "webapi";
    }

    public WebApiSettings settings() {
        return settings;
    }

    /**
     * Deals and positions left out because they carry an MT5 code this hub does not know (each is logged once at
     * WARN); see {@link UnclassifiedRecords}.
     */
    @Override
    public long skippedRecords() {
        return reads.skippedRecords();
    }

    /** The session client, once connected; for tests and tools. */
    WebApiClient client() {
        return session.client();
    }

    @Override
    public void connect(GatewayListener listener) throws GatewayException {
        Objects.requireNonNull(listener, "listener");
        delivery.start(() -> {
            if (delivery.current() != null) {
                throw new IllegalStateException("webapi gateway " + serverId() + " is already connected");
            }
            SnapshotPoller snapshots = new SnapshotPoller(serverId(), reads, now);
            try {
                Instant start = session.open();
                snapshots.takeBaselines(session.client());
                liveDeals.startAt(start);
            } catch (WebApiException e) {
                throw session.startFailure(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "interrupted while connecting to "
                        + settings.address());
            }
            session.opened();
            listener.onConnected();
            return new WebApiPoller(settings, session, liveDeals, snapshots, listener);
        });
    }

    @Override
    public boolean isConnected() {
        return session.isConnected() && delivery.current() != null;
    }

    @Override
    public List<Mt5Event> dealHistory(Instant from, Instant to) throws GatewayException {
        return reads.dealHistory(from, to);
    }

    @Override
    public List<Mt5Event> accounts() throws GatewayException {
        return reads.accounts();
    }

    @Override
    public List<Mt5Event> openPositions() throws GatewayException {
        return reads.openPositions();
    }

    @Override
    public BalanceResult balance(BalanceOrder order) throws GatewayException {
        return dealer.balance(order);
    }

    @Override
    public List<Mt5Event> findDeals(long login, String comment, Instant since) throws GatewayException {
        return dealer.findDeals(login, comment, since);
    }
}

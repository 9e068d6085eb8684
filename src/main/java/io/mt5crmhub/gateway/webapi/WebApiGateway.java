package io.mt5crmhub.gateway.webapi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.ChangeType;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.DeliveryThread;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestNotSentException;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.gateway.webapi.WebApiJson.DealRecord;
import io.mt5crmhub.gateway.webapi.WebApiJson.PositionRecord;
import io.mt5crmhub.gateway.webapi.WebApiJson.UserRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code webapi} gateway: an MT5 trade server through its Web API (HTTPS), from any OS. The Web API has no
 * push, so a poll thread {@code mt5-webapi-<server>} turns polling into the same event stream the other gateways
 * emit:
 * <ul>
 * <li>deals: {@code /api/deal/get_batch} by group mask and time window every {@code poll-interval}
 * ({@link DealPoller}: overlapping windows, only unseen tickets handed out);</li>
 * <li>users and open positions: {@code /api/user/get_batch} and {@code /api/position/get_batch} every
 * {@code snapshot-interval}, each snapshot compared with the previous one ({@link SnapshotDiff}) into
 * added / updated / deleted events;</li>
 * <li>a keep-alive ping ({@code /api/test/access}) when nothing else was sent for {@value #PING_SECONDS} s.</li>
 * </ul>
 * When the server goes away the gateway reports the connection lost (health DOWN), logs one WARN for the outage,
 * and tries again with exponential backoff and jitter (up to 30 s); when it answers again the listener hears
 * {@code onConnected}, the component back-fills from its checkpoint, and polling continues from the last deal
 * seen. Flood control ({@code 12 Too frequent requests}) only slows polling down.
 */
public final class WebApiGateway implements Mt5EventSource, Mt5Dealer {

    private static final Logger LOG = LoggerFactory.getLogger(WebApiGateway.class);
    static final int PING_SECONDS = 20;
    private static final Duration PING_INTERVAL = Duration.ofSeconds(PING_SECONDS);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration BACKOFF_START = Duration.ofSeconds(1);
    private static final Duration BACKOFF_CAP = Duration.ofSeconds(30);
    /**
     * Balance retcodes that say for certain the operation was not done: bad parameters, no permission, no such
     * login, over the per-operation limit, not enough money. Any other code (2 common error, 9 timeout, a trade
     * server's own) leaves the outcome unknown: looked up, never taken as a refusal, for a refusal lets the CRM pay
     * again under a new id while the first operation may still land.
     */
    private static final Set<Integer> DEFINITE_REFUSALS = Set.of(Mt5Retcode.ERR_PARAMS, Mt5Retcode.ERR_PERMISSIONS,
            Mt5Retcode.ERR_NOTFOUND, Mt5Retcode.TRADE_MAX_MONEY, Mt5Retcode.REQUEST_NO_MONEY);
    static final int MAX_COMMENT = 32;

    private final WebApiSettings settings;
    private final ServerClock clock;
    private final Supplier<Instant> now;
    private final Supplier<WebApiClient> clients;
    private final AccountVersions accountVersions;
    private final UnclassifiedRecords unclassified;
    private final Map<Long, String> loginGroups = new ConcurrentHashMap<>();
    private final Object state = new Object();
    private final Object historyLock = new Object();
    private volatile WebApiClient client;
    private volatile boolean connected;
    private final DeliveryThread<Poller> delivery = new DeliveryThread<>(STOP_GRACE);
    /** Survives reconnects: after an outage polling continues from the last deal seen. */
    private DealPoller deals;
    private DealPoller historyReader;

    public WebApiGateway(WebApiSettings settings) {
        this(settings, Instant::now, () -> new WebApiClient(settings));
    }

    WebApiGateway(WebApiSettings settings, Supplier<Instant> now, Supplier<WebApiClient> clients) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clients = clients;
        this.clock = new ServerClock(settings.timezoneMinutes());
        this.now = now;
        this.accountVersions = new AccountVersions(now);
        this.unclassified = new UnclassifiedRecords(settings.serverId());
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
        return unclassified.count();
    }

    /** The session client, once connected; for tests and tools. */
    WebApiClient client() {
        return client;
    }

    @Override
    public void connect(GatewayListener listener) throws GatewayException {
        Objects.requireNonNull(listener, "listener");
        delivery.start(() -> {
            if (delivery.current() != null) {
                throw new IllegalStateException("webapi gateway " + serverId() + " is already connected");
            }
            synchronized (state) {
                if (client == null) {
                    client = clients.get();
                }
                if (deals == null) {
                    deals = new DealPoller(this::fetchDeals, settings.overlap());
                    historyReader = new DealPoller(this::fetchDeals, settings.overlap());
                }
            }
            Poller next = new Poller(listener);
            try {
                client.login();
                Instant start = checkServerClock();
                next.takeBaselines();
                deals.startAt(start);
            } catch (WebApiException e) {
                throw startFailure(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "interrupted while connecting to " + address());
            }
            if (!settings.tls()) {
                LOG.warn("MT5 server {}: {}tls=false: the manager session and all data go over plain HTTP; for a lab"
                        + " only", serverId(), ServerSettings.PREFIX + serverId() + ".");
            }
            LOG.info("Logged in to MT5 server {} ({}) as manager {} over the Web API", serverId(), address(),
                    settings.login());
            connected = true;
            listener.onConnected();
            return next;
        });
    }

    /** A failure at start: a wrong password or an untrusted certificate names the key to fix. */
    private RuntimeException startFailure(WebApiException e) {
        String key = ServerSettings.PREFIX + serverId() + ".";
        return switch (e.kind()) {
            case AUTH_REFUSED -> new ConfigurationException(key + "password: " + e.getMessage());
            case TLS_UNTRUSTED -> new ConfigurationException(e.getMessage());
            case UNREACHABLE, TIMEOUT -> new ConfigurationException(key + "address: " + e.getMessage());
            default -> new ConfigurationException(key + "address: MT5 server " + address()
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
                    aheadMinutes, ServerSettings.PREFIX + serverId() + ".", settings.timezoneMinutes(), roundedZone,
                    roundedZone < 0 ? "-" : "+", Math.abs(roundedZone) / 60, String.format("%02d", Math.abs(roundedZone) % 60));
        }
        Instant serverNow = clock.toUtc(serverMillis);
        // a clock more than a day off is broken, not late: starting there would re-read years of deal history
        if (Duration.between(serverNow, hubNow).abs().compareTo(DealPoller.HORIZON) > 0) {
            return hubNow;
        }
        return serverNow.isBefore(hubNow) ? serverNow : hubNow;
    }

    @Override
    public void pause() {
        delivery.pause();
    }

    @Override
    public void resume() {
        delivery.resume();
    }

    @Override
    public void disconnect() {
        delivery.stop();
    }

    @Override
    public boolean isConnected() {
        return connected && delivery.current() != null;
    }

    @Override
    public List<Mt5Event> dealHistory(Instant from, Instant to) throws GatewayException {
        List<DealRecord> records;
        try {
            synchronized (historyLock) {
                records = requireReader().history(from, to, now.get());
            }
            return dealEvents(records);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "interrupted while reading deal history");
        }
    }

    @Override
    public List<Mt5Event> accounts() throws GatewayException {
        try {
            List<Mt5Event> events = new ArrayList<>();
            for (UserRecord user : fetchUsers().values()) {
                Account account = accountVersions.versioned(user.login(), user.account());
                events.add(Mt5Event.ofAccount(serverId(), EventType.ACCOUNT_UPDATED, user.login(), account));
            }
            return events;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "interrupted while reading users");
        }
    }

    @Override
    public List<Mt5Event> openPositions() throws GatewayException {
        try {
            List<Mt5Event> events = new ArrayList<>();
            for (PositionRecord record : fetchPositions().values()) {
                Position p = record.position();
                EventType type = p.updatedAt().isAfter(p.openedAt()) ? EventType.POSITION_UPDATED
                        : EventType.POSITION_ADDED;
                events.add(Mt5Event.ofPosition(serverId(), type, record.login(), groupOf(record.login()), p.updatedAt(),
                        p));
            }
            return events;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "interrupted while reading positions");
        }
    }

    /**
     * {@code /api/trade/balance}, sent once. MT5's refusal is a result; no answer (timeout, lost connection, a
     * server error) is a {@link GatewayException}: the operation may have happened, look it up with
     * {@link #findDeals} and never send it again blindly. The one repeat is after HTTP 403, which says the
     * session had expired and the command was not run.
     */
    @Override
    public BalanceResult balance(BalanceOrder order) throws GatewayException {
        if (order.comment().length() > MAX_COMMENT) {
            return BalanceResult.refused(Mt5Retcode.ERR_PARAMS, "comment longer than " + MAX_COMMENT
                    + " characters: MT5 would cut it and the operation could not be found again; not sent");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("login", Long.toString(order.login()));
        params.put("type", Integer.toString(order.type().code()));
        params.put("balance", order.amount().toPlainString());
        params.put("comment", order.comment());
        params.put("check_margin", "1");
        WebApiClient current = client;
        if (current == null) {
            throw new RequestNotSentException(Mt5Retcode.ERR_CONNECTION, "webapi gateway " + serverId() + " is not"
                    + " connected: the balance operation on login " + order.login() + " was not sent", null);
        }
        try {
            WebApiJson.Envelope answer = current.command("/api/trade/balance", params);
            return BalanceResult.done(WebApiJson.balanceTicket(answer.answer()));
        } catch (WebApiException e) {
            // flood control turns the command away before it runs
            if ((e.kind() == WebApiException.Kind.REFUSED && DEFINITE_REFUSALS.contains(e.retcode()))
                    || e.kind() == WebApiException.Kind.FLOOD) {
                return BalanceResult.refused(e.retcode(), e.getMessage());
            }
            if (e.requestNotSent()) {
                throw new RequestNotSentException(e.retcode(), "balance operation on login " + order.login()
                        + " was not sent (" + e.getMessage() + "): it may be sent again", e);
            }
            throw new GatewayException(e.kind() == WebApiException.Kind.TIMEOUT ? Mt5Retcode.ERR_TIMEOUT
                    : Mt5Retcode.ERR_CONNECTION, "balance operation on login " + order.login() + " has an unknown"
                            + " outcome (" + e.getMessage() + "): look it up before sending it again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(Mt5Retcode.ERR_TIMEOUT, "interrupted while waiting for the answer to a balance"
                    + " operation on login " + order.login() + ": the outcome is unknown");
        }
    }

    @Override
    public List<Mt5Event> findDeals(long login, String comment, Instant since) throws GatewayException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("login", Long.toString(login));
        params.put("from", Long.toString(clock.toServerSeconds(since)));
        params.put("to", Long.toString(clock.toServerSeconds(now.get().plus(DealPoller.HORIZON))));
        try {
            List<DealRecord> found = new ArrayList<>();
            for (JsonNode node : WebApiJson.records(requireClient().get("/api/deal/get_batch", params).answer())) {
                DealRecord deal = classified(node);
                if (deal != null && deal.login() == login && comment.equals(deal.deal().comment())
                        && !deal.time().isBefore(since)) {
                    found.add(deal);
                }
            }
            found.sort(java.util.Comparator.comparing(DealRecord::time).thenComparing(d -> d.deal().ticket()));
            return dealEvents(found);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "interrupted while looking up deals");
        }
    }

    private WebApiClient requireClient() throws GatewayException {
        WebApiClient current = client;
        if (current == null) {
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "webapi gateway " + serverId() + " is not connected");
        }
        return current;
    }

    private DealPoller requireReader() throws GatewayException {
        requireClient();
        synchronized (state) {
            if (historyReader == null) {
                throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "webapi gateway " + serverId()
                        + " is not connected");
            }
            return historyReader;
        }
    }

    private String address() {
        return settings.address();
    }

    // --- requests -----------------------------------------------------------------------------------------------

    private List<DealRecord> fetchDeals(Instant from, Instant to) throws WebApiException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("group", settings.groups().toString());
        params.put("from", Long.toString(clock.toServerSeconds(from)));
        params.put("to", Long.toString(clock.toServerSeconds(to)));
        List<DealRecord> records = new ArrayList<>();
        for (JsonNode node : WebApiJson.records(client.get("/api/deal/get_batch", params).answer())) {
            DealRecord deal = classified(node);
            if (deal != null) {
                records.add(deal);
            }
        }
        return records;
    }

    /** The deal, or null when it carries a code this hub does not know (then skipped and reported). */
    private DealRecord classified(JsonNode node) throws WebApiException {
        try {
            return WebApiJson.deal(node, clock);
        } catch (WebApiJson.UnknownCodeException e) {
            unclassified.skip(e);
            return null;
        }
    }

    private Map<Long, UserRecord> fetchUsers() throws GatewayException, InterruptedException {
        Map<Long, UserRecord> users = new LinkedHashMap<>();
        JsonNode answer = requireClient().get("/api/user/get_batch", Map.of("group", settings.groups().toString()))
                .answer();
        for (JsonNode node : WebApiJson.records(answer)) {
            // no version yet: AccountVersions gives one, so equal content compares equal from snapshot to snapshot
            UserRecord user = WebApiJson.user(node, clock, null);
            users.put(user.login(), user);
            if (!user.account().group().isEmpty()) {
                loginGroups.put(user.login(), user.account().group());
            }
        }
        return users;
    }

    private Map<Long, PositionRecord> fetchPositions() throws GatewayException, InterruptedException {
        Map<Long, PositionRecord> positions = new LinkedHashMap<>();
        JsonNode answer = requireClient().get("/api/position/get_batch",
                Map.of("group", settings.groups().toString())).answer();
        for (JsonNode node : WebApiJson.records(answer)) {
            try {
                PositionRecord position = WebApiJson.position(node, clock);
                positions.put(position.position().ticket(), position);
            } catch (WebApiJson.UnknownCodeException e) {
                unclassified.skip(e);
            }
        }
        return positions;
    }

    /** The login's group, from the users snapshot; a login not seen yet is asked for once. */
    private String groupOf(long login) throws InterruptedException {
        String group = loginGroups.get(login);
        if (group != null) {
            return group;
        }
        try {
            for (JsonNode node : WebApiJson.records(requireClient().get("/api/user/get",
                    Map.of("login", Long.toString(login))).answer())) {
                UserRecord user = WebApiJson.user(node, clock, now.get());
                if (user.login() == login && !user.account().group().isEmpty()) {
                    loginGroups.put(login, user.account().group());
                    return user.account().group();
                }
            }
        } catch (GatewayException e) {
            LOG.debug("webapi {}: cannot read the group of login {}: {}", serverId(), login, e.getMessage());
        }
        return null;
    }

    private List<Mt5Event> dealEvents(List<DealRecord> records) throws InterruptedException {
        List<Mt5Event> events = new ArrayList<>(records.size());
        for (DealRecord record : records) {
            events.add(Mt5Event.ofDeal(serverId(), EventType.DEAL_ADDED, record.login(), groupOf(record.login()),
                    record.time(), record.deal()));
        }
        return events;
    }

    // --- the poll thread ----------------------------------------------------------------------------------------

    private final class Poller extends DeliveryThread.Worker {

        final GatewayListener listener;
        private final SnapshotDiff<Long, UserRecord> users = new SnapshotDiff<>((a, b) -> !a.account().equals(b.account()));
        private final SnapshotDiff<Long, PositionRecord> positions = new SnapshotDiff<>(
                (a, b) -> b.position().updatedAt().isAfter(a.position().updatedAt()));
        private final Backoff backoff = new Backoff(BACKOFF_START, BACKOFF_CAP);
        private long nextDeals;
        private long nextSnapshots;
        private String lastProblem;

        Poller(GatewayListener listener) {
            super("mt5-webapi-" + serverId(), true);
            this.listener = listener;
        }

        /** The first snapshots: the baselines later ones are compared with (the component reads its own). */
        void takeBaselines() throws WebApiException, InterruptedException {
            try {
                users.next(fetchUsers());
                positions.next(fetchPositions());
            } catch (WebApiException e) {
                throw e;
            } catch (GatewayException e) {
                throw new WebApiException(WebApiException.Kind.UNREACHABLE, e.retcode(), e.getMessage(), e);
            }
        }

        @Override
        protected void deliver() {
            String reason = "disconnected";
            try {
                while (awaitTurn()) {
                    try {
                        if (!connected) {
                            reconnect();
                        }
                        pollOnce();
                        backoff.reset();
                        lastProblem = null;
                        sleep(untilNextDue());
                    } catch (WebApiException e) {
                        onFailure(e);
                    }
                }
            } catch (InterruptedException e) {
                reason = isRunning() ? "disconnected while a request or the listener was blocked" : "disconnected";
            } catch (RuntimeException e) {
                reason = "webapi poll loop failed: " + e.getMessage();
                LOG.error("webapi {}: the poll loop stopped", serverId(), e);
            } finally {
                connected = false;
                end();
                listener.onDisconnected(reason);
            }
        }

        private void pollOnce() throws WebApiException, InterruptedException {
            long nowNanos = System.nanoTime();
            if (nowNanos - nextSnapshots >= 0) {
                nextSnapshots = nowNanos + settings.snapshotInterval().toNanos();
                pollUsers();
                pollPositions();
            }
            if (nowNanos - nextDeals >= 0) {
                nextDeals = nowNanos + settings.pollInterval().toNanos();
                for (DealRecord deal : deals.poll(now.get())) {
                    deliver(Mt5Event.ofDeal(serverId(), EventType.DEAL_ADDED, deal.login(), groupOf(deal.login()),
                            deal.time(), deal.deal()));
                }
            }
            if (client.idle().compareTo(PING_INTERVAL) >= 0) {
                client.ping();
            }
        }

        private Duration untilNextDue() {
            long nowNanos = System.nanoTime();
            long next = Math.min(nextDeals - nowNanos, nextSnapshots - nowNanos);
            next = Math.min(next, PING_INTERVAL.toNanos());
            return Duration.ofNanos(Math.max(0, next));
        }

        private void pollUsers() throws WebApiException, InterruptedException {
            Map<Long, UserRecord> snapshot;
            try {
                snapshot = fetchUsers();
            } catch (WebApiException e) {
                throw e;
            } catch (GatewayException e) {
                throw new WebApiException(WebApiException.Kind.UNREACHABLE, e.retcode(), e.getMessage(), e);
            }
            for (SnapshotDiff.Change<Long, UserRecord> change : users.next(snapshot)) {
                long login = change.key();
                Account account = change.change() == ChangeType.DELETED
                        ? accountVersions.deleted(login, change.record().account())
                        : accountVersions.versioned(login, change.record().account());
                EventType type = new EventType(io.mt5crmhub.event.EntityType.ACCOUNT, change.change());
                deliver(Mt5Event.ofAccount(serverId(), type, login, account));
                if (change.change() == ChangeType.DELETED) {
                    loginGroups.remove(login);
                }
            }
        }

        private void pollPositions() throws WebApiException, InterruptedException {
            Map<Long, PositionRecord> snapshot;
            try {
                snapshot = fetchPositions();
            } catch (WebApiException e) {
                throw e;
            } catch (GatewayException e) {
                throw new WebApiException(WebApiException.Kind.UNREACHABLE, e.retcode(), e.getMessage(), e);
            }
            for (SnapshotDiff.Change<Long, PositionRecord> change : positions.next(snapshot)) {
                Position p = change.record().position();
                long login = change.record().login();
                EventType type;
                Instant occurredAt;
                switch (change.change()) {
                    case ADDED -> {
                        type = p.updatedAt().isAfter(p.openedAt()) ? EventType.POSITION_UPDATED
                                : EventType.POSITION_ADDED;
                        occurredAt = p.updatedAt();
                    }
                    case UPDATED -> {
                        type = EventType.POSITION_UPDATED;
                        occurredAt = p.updatedAt();
                    }
                    default -> {
                        type = EventType.POSITION_DELETED;
                        // the Web API keeps no closed positions: the close is stamped when it was noticed, later
                        // than the last update the CRM holds, so the update-time guard lets it through
                        occurredAt = latest(now.get(), p.updatedAt().plusMillis(1));
                        p = new Position(p.ticket(), p.action(), p.symbol(), p.volume(), p.priceOpen(),
                                p.priceCurrent(), p.priceSl(), p.priceTp(), p.profit(), p.swap(), p.comment(),
                                p.openedAt(), occurredAt);
                    }
                }
                deliver(Mt5Event.ofPosition(serverId(), type, login, groupOf(login), occurredAt, p));
            }
        }

        private void deliver(Mt5Event event) throws InterruptedException {
            if (!awaitTurn()) {
                throw new InterruptedException("disconnected");
            }
            listener.onEvent(event);
        }

        /** While the server is away: log in again (a restarted server forgot the session); success ends the outage. */
        private void reconnect() throws WebApiException, InterruptedException {
            client.forgetSession();
            client.login();
            connected = true;
            LOG.info("MT5 server {} ({}) answers again after {} failed attempts: back-filling, then polling from the"
                    + " last deal seen", serverId(), address(), backoff.failures());
            listener.onConnected();
        }

        private void onFailure(WebApiException e) throws InterruptedException {
            Duration wait = backoff.next();
            // one WARN per outage and per kind of problem, not one per attempt
            String problem = e.kind() + " " + e.retcode();
            if (e.kind() == WebApiException.Kind.FLOOD) {
                if (!problem.equals(lastProblem)) {
                    LOG.warn("webapi {}: {}; slowing down (next request in {} ms)", serverId(), e.getMessage(),
                            wait.toMillis());
                }
                lastProblem = problem;
                sleep(wait);
                return;
            }
            if (connected) {
                connected = false;
                LOG.warn("MT5 server {} ({}) is away: {}. Polling again with backoff (up to {} s apart)", serverId(),
                        address(), e.getMessage(), BACKOFF_CAP.toSeconds());
                listener.onDisconnected(e.getMessage());
            } else if (!problem.equals(lastProblem)) {
                LOG.warn("MT5 server {} is still away: {}", serverId(), e.getMessage());
            }
            lastProblem = problem;
            sleep(wait);
        }

        @Override
        protected void stillBusyAfterPause(Duration grace) {
            LOG.warn("webapi {}: still polling {} after pause (a request or the listener is slow)", serverId(), grace);
        }

        @Override
        protected void blockedAtStop(Duration grace) {
            LOG.warn("webapi {}: the poll thread did not stop within {}; interrupting it", serverId(), grace);
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

package io.mt5crmhub.gateway.nativeapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.AccountVersions;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.DeliveringEventSource;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/**
 * The {@code native} gateway: MT5's own push through the Manager API library. The manager, deal, position and user
 * sinks are subscribed once, before the first Connect ({@link NativeSession}); their callbacks, on the library's
 * network thread, only copy the MT5 object and leave the copy in a bounded {@link Inbox}; the {@link NativePump}
 * thread turns the copies into events for the listener, reports outages, reconnects, and after a reconnect or a full
 * inbox reports what snapshots show was missed ({@link NativeSnapshots}) before the component back-fills deals.
 * Balance operations are {@link NativeDealer}'s.
 */
public final class NativeGateway extends DeliveringEventSource<NativePump> implements Mt5Dealer {

    private final NativeSettings settings;
    private final NativeSession session;
    private final Inbox inbox;
    private final SkippedRecords skipped;
    private final NativeClock clock;
    private final NativeDealEvents deals;
    private final NativeAccountEvents accounts;
    private final NativePositionEvents positions;
    private final NativeSnapshots snapshots;
    private final NativeDealer dealer;

    /** Loads the library at once, so a missing or foreign one stops start-up with one line naming the key. */
    public NativeGateway(NativeSettings settings) {
        this(settings, loadLibrary(settings));
    }

    /** On a library already loaded by {@link #loadLibrary}, as the configured factory does while it reads settings. */
    public NativeGateway(NativeSettings settings, ManagerLibrary library) {
        Supplier<Instant> now = Instant::now;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.session = new NativeSession(settings, library);
        this.inbox = new Inbox(settings.inboxCapacity());
        this.skipped = new SkippedRecords(settings.serverId());
        this.clock = new NativeClock(settings.timezoneMinutes());
        LoginGroups groups = new LoginGroups();
        LoginGroups.Lookup lookup = this::groupOf;
        this.deals = new NativeDealEvents(settings.serverId(), clock, groups, skipped, lookup);
        this.accounts = new NativeAccountEvents(settings.serverId(), clock, groups, skipped, new AccountVersions(now));
        this.positions = new NativePositionEvents(settings.serverId(), clock, groups, skipped, now, lookup);
        this.snapshots = new NativeSnapshots(accounts, positions, settings.groups());
        this.dealer = new NativeDealer(settings.serverId(), session, clock, deals, now);
    }

    /**
     * A refused Connect names the key to fix, as the Web API gateway does: the password when MT5 refused the
     * credentials ({@code MT_RET_AUTH_*}), the address otherwise. The API's own reconnects never come here.
     */
    private ConfigurationException connectFailure(int res) {
        String key = ServerSettings.PREFIX + serverId() + ".";
        String code = Integer.toUnsignedString(res) + " (" + Mt5Retcode.describe(res) + ")";
        if (Mt5Retcode.isAuthRefusal(res)) {
            return new ConfigurationException(key + "password: MT5 server " + serverId() + " at "
                    + settings.address() + " refused the login of manager " + settings.login() + ": retcode " + code);
        }
        return new ConfigurationException(key + "address: MT5 server " + serverId() + " at " + settings.address()
                + " did not connect manager " + settings.login() + ": retcode " + code);
    }

    /**
     * Loads (and checks) the library the settings name.
     *
     * @throws ConfigurationException naming the library key and the cause
     */
    public static ManagerLibrary loadLibrary(NativeSettings settings) {
        return ManagerLibrary.load(settings.libraryKey(), settings.library());
    }

    /** A login's group asked of MT5 (UserRequest); null when MT5 does not know the login. */
    private String groupOf(long login) {
        try {
            return session.user(login).map(NativeUser::group).orElse(null);
        } catch (GatewayException e) {
            throw new IllegalStateException(e.getMessage(), e); // not now: asked again next time
        }
    }

    @Override
    public String serverId() {
        return settings.serverId();
    }

    @Override
    public String kind() {
        return "native";
    }

    /** Deals, positions and users left out because the hub cannot read them, and sink callbacks that failed. */
    @Override
    public long skippedRecords() {
        return skipped.count() + session.sinkFailures();
    }

    @Override
    public long droppedEvents() {
        return inbox.dropped();
    }

    /** The most records that ever waited in the inbox at once; never more than {@link NativeSettings#inboxCapacity}. */
    public int inboxHighWater() {
        return inbox.highWater();
    }

    @Override
    public void connect(GatewayListener listener) throws GatewayException {
        Objects.requireNonNull(listener, "listener");
        delivery.start(() -> {
            if (delivery.current() != null) {
                throw new IllegalStateException("native gateway " + serverId() + " is already connected");
            }
            session.subscribeOnce(inbox);
            try {
                inbox.clear(); // what is left from an earlier connection comes back through the back-fill
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "interrupted while connecting to " + serverId());
            }
            int res = session.connect();
            if (res != Mt5Retcode.OK) {
                throw connectFailure(res);
            }
            try {
                snapshots.takeBaselines(session);
            } catch (GatewayException e) {
                session.disconnect();
                throw e;
            }
            listener.onConnected();
            return new NativePump(settings, session, inbox, deals, snapshots, listener);
        });
    }

    @Override
    public void disconnect() {
        super.disconnect();
        session.disconnect();
    }

    @Override
    public boolean isConnected() {
        return session.isConnected() && delivery.current() != null;
    }

    @Override
    public List<Mt5Event> dealHistory(Instant from, Instant to) throws GatewayException {
        List<Mt5Event> history = new ArrayList<>();
        for (NativeDeal deal : session.dealsByGroup(clock.serverSeconds(from), clock.serverSeconds(to))) {
            deals.event(new NativeDealChange(Change.ADDED, deal)).ifPresent(history::add);
        }
        history.sort(Comparator.comparing(Mt5Event::occurredAt).thenComparing(e -> e.deal().ticket()));
        return history;
    }

    @Override
    public List<Mt5Event> accounts() throws GatewayException {
        List<Mt5Event> events = new ArrayList<>();
        for (NativeAccountEvents.Known known : snapshots.users(session).values()) {
            events.add(accounts.current(known));
        }
        return events;
    }

    @Override
    public List<Mt5Event> openPositions() throws GatewayException {
        List<Mt5Event> events = new ArrayList<>();
        for (NativePositionEvents.Known known : snapshots.positions(session).values()) {
            events.add(positions.open(known));
        }
        return events;
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

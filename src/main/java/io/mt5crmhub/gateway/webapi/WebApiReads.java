package io.mt5crmhub.gateway.webapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.Position;
import io.mt5crmhub.gateway.AccountVersions;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.webapi.WebApiJson.DealRecord;
import io.mt5crmhub.gateway.webapi.WebApiJson.PositionRecord;
import io.mt5crmhub.gateway.webapi.WebApiJson.UserRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@code webapi} gateway reads from the server: deal history, the users and open positions snapshots, and
 * the group of a login (events carry it; deals and positions do not). Records with an MT5 code this hub does not
 * know are left out and reported ({@link UnclassifiedRecords}). Thread-safe: the poll thread and the component's
 * history and snapshot reads share it.
 */
final class WebApiReads {

    // logs as the gateway did before the reads were a class of their own: operators filter on that name
    private static final Logger LOG = LoggerFactory.getLogger(WebApiGateway.class);

    private final WebApiSettings settings;
    private final WebApiSession session;
    private final ServerClock clock;
    private final Supplier<Instant> now;
    private final AccountVersions accountVersions;
    private final UnclassifiedRecords unclassified;
    private final Map<Long, String> loginGroups = new ConcurrentHashMap<>();
    /** History reads take turns: a DealPoller is used by one thread at a time. */
    private final Object historyLock = new Object();
    private final DealPoller history;

    WebApiReads(WebApiSettings settings, WebApiSession session, Supplier<Instant> now) {
        this.settings = settings;
        this.session = session;
        this.clock = settings.clock();
        this.now = now;
        this.accountVersions = new AccountVersions(now);
        this.unclassified = new UnclassifiedRecords(settings.serverId());
        this.history = new DealPoller(this::deals, settings.overlap());
    }

    AccountVersions accountVersions() {
        return accountVersions;
    }

    long skippedRecords() {
        return unclassified.count();
    }

    /** Requests made for a caller outside the poll thread; an interrupt of the caller ends them. */
    @FunctionalInterface
    interface Requests<T> {
        T send() throws GatewayException, InterruptedException;
    }

    /** Sends {@code requests}; an interrupt is a {@link GatewayException} saying what was {@code doing}. */
    static <T> T interruptible(String doing, Requests<T> requests) throws GatewayException {
        try {
            return requests.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(Mt5Retcode.ERR_CONNECTION, "interrupted while " + doing);
        }
    }

    List<Mt5Event> dealHistory(Instant from, Instant to) throws GatewayException {
        session.require();
        return interruptible("reading deal history", () -> {
            List<DealRecord> records;
            synchronized (historyLock) {
                records = history.history(from, to, now.get());
            }
            return dealEvents(records);
        });
    }

    List<Mt5Event> accounts() throws GatewayException {
        WebApiClient client = session.require();
        return interruptible("reading users", () -> {
            List<Mt5Event> events = new ArrayList<>();
            for (UserRecord user : users(client).values()) {
                Account account = accountVersions.versioned(user.login(), user.account());
                events.add(Mt5Event.ofAccount(settings.serverId(), EventType.ACCOUNT_UPDATED, user.login(), account));
            }
            return events;
        });
    }

    List<Mt5Event> openPositions() throws GatewayException {
        WebApiClient client = session.require();
        return interruptible("reading positions", () -> {
            List<Mt5Event> events = new ArrayList<>();
            for (PositionRecord record : positions(client).values()) {
                Position p = record.position();
                EventType type = p.updatedAt().isAfter(p.openedAt()) ? EventType.POSITION_UPDATED
                        : EventType.POSITION_ADDED;
                events.add(positionEvent(type, record.login(), p.updatedAt(), p));
            }
            return events;
        });
    }

    /** {@code /api/deal/get_batch} by the group mask and a window in UTC: the {@link DealPoller}s' source. */
    List<DealRecord> deals(Instant from, Instant to) throws WebApiException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("group", settings.groups().toString());
        params.put("from", Long.toString(clock.toServerSeconds(from)));
        params.put("to", Long.toString(clock.toServerSeconds(to)));
        List<DealRecord> records = new ArrayList<>();
        for (JsonNode node : WebApiJson.records(session.client().get("/api/deal/get_batch", params).answer())) {
            DealRecord deal = classified(node);
            if (deal != null) {
                records.add(deal);
            }
        }
        return records;
    }

    /** The deal, or null when it carries a code this hub does not know (then skipped and reported). */
    DealRecord classified(JsonNode node) throws WebApiException {
        try {
            return WebApiJson.deal(node, clock);
        } catch (WebApiJson.UnknownCodeException e) {
            unclassified.skip(e);
            return null;
        }
    }

    /** The users snapshot by login; it also refreshes the logins' groups. */
    Map<Long, UserRecord> users(WebApiClient client) throws WebApiException, InterruptedException {
        Map<Long, UserRecord> users = new LinkedHashMap<>();
        JsonNode answer = client.get("/api/user/get_batch", Map.of("group", settings.groups().toString())).answer();
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

    /** The open positions snapshot by ticket. */
    Map<Long, PositionRecord> positions(WebApiClient client) throws WebApiException, InterruptedException {
        Map<Long, PositionRecord> positions = new LinkedHashMap<>();
        JsonNode answer = client.get("/api/position/get_batch", Map.of("group", settings.groups().toString()))
                .answer();
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

    /** A login that vanished from the users snapshot. */
    void forgetGroup(long login) {
        loginGroups.remove(login);
    }

    List<Mt5Event> dealEvents(List<DealRecord> records) throws InterruptedException {
        List<Mt5Event> events = new ArrayList<>(records.size());
        for (DealRecord record : records) {
            events.add(dealEvent(record));
        }
        return events;
    }

    Mt5Event dealEvent(DealRecord record) throws InterruptedException {
        return Mt5Event.ofDeal(settings.serverId(), EventType.DEAL_ADDED, record.login(), groupOf(record.login()),
                record.time(), record.deal());
    }

    Mt5Event positionEvent(EventType type, long login, Instant occurredAt, Position position)
            throws InterruptedException {
        return Mt5Event.ofPosition(settings.serverId(), type, login, groupOf(login), occurredAt, position);
    }

    /** The login's group, from the users snapshot; a login not seen yet is asked for once. */
    private String groupOf(long login) throws InterruptedException {
        String group = loginGroups.get(login);
        if (group != null) {
            return group;
        }
        try {
            for (JsonNode node : WebApiJson.records(session.require().get("/api/user/get",
                    Map.of("login", Long.toString(login))).answer())) {
                UserRecord user = WebApiJson.user(node, clock, now.get());
                if (user.login() == login && !user.account().group().isEmpty()) {
                    loginGroups.put(login, user.account().group());
                    return user.account().group();
                }
            }
        } catch (GatewayException e) {
            LOG.debug("webapi {}: cannot read the group of login {}: {}", settings.serverId(), login, e.getMessage());
        }
        return null;
    }
}

package io.mt5crmhub.gateway.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GroupMask;

/**
 * What one manager connection sees of the books: the logins, positions and deals of the groups its mask matches, as
 * events. Events of other groups are neither queued nor returned by the queries. The caller holds the books' lock.
 */
final class VisibleBooks {

    private final String serverId;
    /** The simulator's groups this connection sees; the mask is matched once per group, not once per event. */
    private final Set<String> visibleGroups = new HashSet<>();

    VisibleBooks(String serverId, GroupMask mask) {
        this.serverId = serverId;
        for (GroupSpec group : GroupSpec.values()) {
            if (mask.matches(group.groupName())) {
                visibleGroups.add(group.groupName());
            }
        }
    }

    /** The events of visible logins, in their order. */
    List<Mt5Event> only(List<Mt5Event> events) {
        if (visibleGroups.size() == GroupSpec.values().length) {
            return events;
        }
        List<Mt5Event> shown = new ArrayList<>(events.size());
        for (Mt5Event event : events) {
            if (visibleGroups.contains(event.group())) {
                shown.add(event);
            }
        }
        return shown;
    }

    /** The visible ones of these stored deals, as {@code deal.added}. */
    List<Mt5Event> deals(Books books, List<StoredDeal> deals) {
        List<Mt5Event> events = new ArrayList<>(deals.size());
        for (StoredDeal stored : deals) {
            String group = books.login(stored.login()).group.groupName();
            if (visibleGroups.contains(group)) {
                events.add(Mt5Event.ofDeal(serverId, EventType.DEAL_ADDED, stored.login(), group, stored.time(),
                        stored.deal()));
            }
        }
        return events;
    }

    /** Every visible login as {@code account.updated}, its version the login's last update time. */
    List<Mt5Event> accounts(Books books) {
        List<Mt5Event> events = new ArrayList<>();
        for (SimLogin login : books.logins()) {
            if (visibleGroups.contains(login.group.groupName())) {
                events.add(Mt5Event.ofAccount(serverId, EventType.ACCOUNT_UPDATED, login.login, login.toAccount()));
            }
        }
        return events;
    }

    /**
     * Every visible open position as the event of its latest change: {@code position.added} if it never changed
     * after opening, else {@code position.updated} with its current version.
     */
    List<Mt5Event> openPositions(Books books) {
        List<Mt5Event> events = new ArrayList<>();
        for (SimPosition position : books.positions()) {
            String group = books.login(position.login).group.groupName();
            if (visibleGroups.contains(group)) {
                EventType type = position.wasUpdated() ? EventType.POSITION_UPDATED : EventType.POSITION_ADDED;
                events.add(Mt5Event.ofPosition(serverId, type, position.login, group, position.updatedAt,
                        position.toPosition()));
            }
        }
        return events;
    }

    /** Visible login to the CRM client owning it, ordered by login. */
    Map<Long, String> clientIdsByLogin(Books books) {
        Map<Long, String> clients = new TreeMap<>();
        for (SimLogin login : books.logins()) {
            if (visibleGroups.contains(login.group.groupName())) {
                clients.put(login.login, login.clientId);
            }
        }
        return clients;
    }
}

package io.mt5crmhub.gateway.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The in-memory books of the simulated server: logins, open positions, ticket counters, the simulated clock and
 * the market. Every collection is ordered, so iterating it is deterministic. The deal history is not kept
 * here: it lives in the database only. Guarded by the simulator lock.
 */
final class Books {

    static final long FIRST_DEAL = 1_000_001L;
    static final long FIRST_ORDER = 5_000_001L;
    static final long FIRST_LOGIN = 50_001L;

    final MarketPrices market = new MarketPrices();

    private final TreeMap<Long, SimLogin> logins = new TreeMap<>();
    private final TreeMap<Long, SimPosition> positions = new TreeMap<>();
    private final TreeMap<Long, TreeMap<Long, SimPosition>> positionsByLogin = new TreeMap<>();
    private final TreeMap<String, List<SimLogin>> loginsByClient = new TreeMap<>();

    /** The simulated clock's epoch and its current time, epoch milliseconds. */
    long startMs;
    long clockMs;
    /** How many generated actions have been performed; the next one has this number. */
    long actionNo;
    long nextDeal = FIRST_DEAL;
    long nextOrder = FIRST_ORDER;
    long nextLogin = FIRST_LOGIN;

    long takeDealTicket() {
        return nextDeal++;
    }

    long takeOrderTicket() {
        return nextOrder++;
    }

    long takeLoginNumber() {
        return nextLogin++;
    }

    void putLogin(SimLogin login) {
        if (logins.put(login.login, login) == null) {
            loginsByClient.computeIfAbsent(login.clientId, c -> new ArrayList<>()).add(login);
        }
    }

    SimLogin login(long login) {
        return logins.get(login);
    }

    Collection<SimLogin> logins() {
        return Collections.unmodifiableCollection(logins.values());
    }

    /** Client ids, ordered. */
    List<String> clientIds() {
        return new ArrayList<>(loginsByClient.keySet());
    }

    /** The logins of one client in the order they were opened (rising login numbers). */
    List<SimLogin> loginsOf(String clientId) {
        return Collections.unmodifiableList(loginsByClient.getOrDefault(clientId, List.of()));
    }

    void putPosition(SimPosition position) {
        positions.put(position.ticket, position);
        positionsByLogin.computeIfAbsent(position.login, l -> new TreeMap<>()).put(position.ticket, position);
    }

    void removePosition(SimPosition position) {
        positions.remove(position.ticket);
        Map<Long, SimPosition> own = positionsByLogin.get(position.login);
        own.remove(position.ticket);
        if (own.isEmpty()) {
            positionsByLogin.remove(position.login);
        }
    }

    SimPosition position(long ticket) {
        return positions.get(ticket);
    }

    Collection<SimPosition> positions() {
        return Collections.unmodifiableCollection(positions.values());
    }

    /** The open positions of one login, by ticket. */
    Collection<SimPosition> positionsOf(long login) {
        TreeMap<Long, SimPosition> own = positionsByLogin.get(login);
        return own == null ? List.of() : Collections.unmodifiableCollection(own.values());
    }

    /** Logins that hold at least one open position, ordered. */
    List<Long> loginsWithPositions() {
        return new ArrayList<>(positionsByLogin.keySet());
    }
}

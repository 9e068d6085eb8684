package io.mt5crmhub.balance;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.mt5crmhub.event.ChangeType;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.store.FencedException;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestNotSentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs the CRM's balance operations on MT5 exactly once in effect.
 * <ol>
 * <li>The request is stored RECEIVED under its unique crmTxnId; the same id again returns the stored state, the
 * same id with other parameters is a {@link BalanceConflictException}.</li>
 * <li>RECEIVED becomes SENT in its own committed UPDATE before MT5 is called: only the caller that wins that
 * update calls MT5, and a request that is not RECEIVED is never sent again.</li>
 * <li>MT5's refusal ends REJECTED with its retcode; its "done" keeps the deal ticket; a failure with the outcome
 * unknown (timeout, lost connection) ends UNKNOWN and the deal is looked up on MT5 by login and reference
 * comment.</li>
 * <li>The deal coming back ({@link #onDeal}, from the deal stream) or found by a look-up marks it CONFIRMED.</li>
 * </ol>
 * Calls for one crmTxnId are serialised in this process, so concurrent repeats wait for the first and see its
 * outcome. {@link #resolvePending} (run periodically) sends requests stored while their server was down, and looks
 * up SENT and UNKNOWN ones; it never sends anything twice.
 */
public class BalanceService {

    private static final Logger LOG = LoggerFactory.getLogger(BalanceService.class);
    private static final Set<Integer> UNKNOWN_OUTCOME_CODES = Set.of(Mt5Retcode.ERR_NETWORK, Mt5Retcode.ERR_TIMEOUT,
            Mt5Retcode.ERR_CONNECTION);

    private final BalanceRequestStore store;
    private final BalanceGateways gateways;
    private final Clock clock;
    private final Duration answerTimeout;
    private final ReentrantLock[] locks = new ReentrantLock[1024];
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, CompletableFuture<Void>> finals = new ConcurrentHashMap<>();
    private final List<Consumer<BalanceOperation>> outcomeListeners = new CopyOnWriteArrayList<>();

    /**
     * @param answerTimeout how long a SENT request without a recorded answer may stay SENT before it is reported
     *                      UNKNOWN (a hub stopped in the middle of the call leaves such a request)
     */
    public BalanceService(BalanceRequestStore store, BalanceGateways gateways, Clock clock, Duration answerTimeout) {
        this.store = store;
        this.gateways = gateways;
        this.clock = clock;
        this.answerTimeout = answerTimeout;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Called with the operation each time one ends CONFIRMED or REJECTED. */
    public void addOutcomeListener(Consumer<BalanceOperation> listener) {
        outcomeListeners.add(listener);
    }

    public BalanceRequestStore store() {
        return store;
    }

    /**
     * Stores the request if new and takes it as far as it can go now.
     *
     * @return the operation's state after this call (RECEIVED when its server is not connected)
     */
    public BalanceOperation submit(BalanceRequest request) throws BalanceConflictException, SQLException {
        BalanceOperation fresh = BalanceOperation.received(request, clock.instant());
        ReentrantLock lock = lockOf(request.crmTxnId());
        lock.lock();
        try {
            boolean inserted = store.insertIfAbsent(fresh);
            BalanceOperation stored = store.find(request.crmTxnId()).orElseThrow(() -> new IllegalStateException(
                    "reference " + fresh.reference() + " of crmTxnId " + request.crmTxnId() + " is taken on "
                    + request.server() + " by another request"));
            if (!inserted && !stored.requestHash().equals(fresh.requestHash())) {
                throw new BalanceConflictException(stored);
            }
            if (inserted) {
                LOG.info("Balance operation {} received: {} {} on {} login {} (reference {})", stored.crmTxnId(),
                        stored.type(), stored.amount().toPlainString(), stored.server(), stored.login(),
                        stored.reference());
            }
            return advance(stored);
        } finally {
            lock.unlock();
        }
    }

    public Optional<BalanceOperation> find(String crmTxnId) throws SQLException {
        return store.find(crmTxnId);
    }

    /** Waits up to {@code wait} for the operation to be CONFIRMED or REJECTED; returns its state then. */
    public Optional<BalanceOperation> awaitFinal(String crmTxnId, Duration wait) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            CompletableFuture<Void> done = finals.computeIfAbsent(crmTxnId, id -> new CompletableFuture<>());
            Optional<BalanceOperation> op = store.find(crmTxnId);
            long left = deadline - System.nanoTime();
            if (op.isEmpty() || op.get().state().isFinal() || left <= 0) {
                finals.remove(crmTxnId, done);
                return op;
            }
            try {
                done.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return store.find(crmTxnId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return store.find(crmTxnId);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * An operator closes an UNKNOWN operation that no look-up has resolved, having checked MT5 by hand. The hub looks
     * the deal up once more: found, the operation is CONFIRMED as usual; not found, it ends REJECTED with no retcode
     * and the operator's reason (and its outcome is published), so the CRM may pay again under a new crmTxnId.
     *
     * @return empty when no operation has this crmTxnId
     * @throws BalanceNotClosableException when the operation is not UNKNOWN
     * @throws GatewayException when its MT5 server cannot be asked now; nothing changed
     */
    public Optional<BalanceOperation> closeUnknown(String crmTxnId, String reason)
            throws SQLException, BalanceNotClosableException, GatewayException {
        ReentrantLock lock = lockOf(crmTxnId);
        lock.lock();
        try {
            Optional<BalanceOperation> found = store.find(crmTxnId);
            if (found.isEmpty()) {
                return found;
            }
            BalanceOperation op = found.get();
            if (op.state() != BalanceState.UNKNOWN) {
                throw new BalanceNotClosableException(op);
            }
            Mt5Dealer gateway = gateways.connected(op.server()).orElseThrow(() -> new GatewayException(
                    Mt5Retcode.ERR_CONNECTION, "MT5 server " + op.server() + " is not connected: the deal cannot be"
                            + " looked up once more, so the operation is not closed"));
            List<Mt5Event> deals = dealsCarryingReference(gateway, op);
            if (!deals.isEmpty()) {
                return Optional.of(confirm(op, deals));
            }
            String why = "closed by an operator: " + reason + " (no deal carried reference " + op.reference()
                    + " on MT5 at " + clock.instant() + "; was: " + op.reason() + ")";
            if (store.markClosed(crmTxnId, why)) {
                LOG.warn("Balance operation {} on {} closed by an operator as not done: {}", crmTxnId, op.server(),
                        reason);
                BalanceOperation closed = reload(crmTxnId);
                ended(closed);
                return Optional.of(closed);
            }
            return Optional.of(reload(crmTxnId));
        } finally {
            lock.unlock();
        }
    }

    /**
     * A deal from MT5's deal stream: when its comment is one of our references, the request is CONFIRMED with its
     * ticket. Repeats and deals that are not ours change nothing.
     */
    public void onDeal(Mt5Event event) throws SQLException {
        if (event.deal() == null || event.entity() != EntityType.DEAL || event.type().change() != ChangeType.ADDED
                || !BalanceReference.looksLikeReference(event.deal().comment())) {
            return;
        }
        Optional<BalanceOperation> found = store.findByReference(event.server(), event.deal().comment());
        if (found.isEmpty()) {
            return;
        }
        BalanceOperation op = found.get();
        if (op.login() != event.login()) {
            LOG.error("MT5 deal {} on {} login {} carries reference {} of balance operation {} for login {}: not"
                    + " confirming it", event.deal().ticket(), event.server(), event.login(), op.reference(),
                    op.crmTxnId(), op.login());
            return;
        }
        switch (op.state()) {
            case SENT, UNKNOWN -> confirm(op, List.of(event));
            case REJECTED -> LOG.error("MT5 booked deal {} for balance operation {}, which MT5 had refused ({}):"
                    + " check it by hand", event.deal().ticket(), op.crmTxnId(), op.reason());
            case RECEIVED -> LOG.error("MT5 deal {} carries the reference of balance operation {}, which was never"
                    + " sent", event.deal().ticket(), op.crmTxnId());
            case CONFIRMED -> {
                if (op.dealTicket() != null && op.dealTicket() != event.deal().ticket()) {
                    LOG.error("MT5 holds a second deal {} for balance operation {} (confirmed with deal {})",
                            event.deal().ticket(), op.crmTxnId(), op.dealTicket());
                }
            }
        }
    }

    /**
     * Sends the requests stored while their server was not connected, and looks up those SENT or UNKNOWN. Skips
     * a request another thread is working on.
     */
    public void resolvePending() throws SQLException {
        for (BalanceOperation op : store.unresolved()) {
            ReentrantLock lock = lockOf(op.crmTxnId());
            if (!lock.tryLock()) {
                continue;
            }
            try {
                Optional<BalanceOperation> current = store.find(op.crmTxnId());
                if (current.isPresent()) {
                    advance(current.get());
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private BalanceOperation advance(BalanceOperation op) throws SQLException {
        return switch (op.state()) {
            case CONFIRMED, REJECTED -> op;
            case RECEIVED -> {
                Optional<Mt5Dealer> gateway = gateways.connected(op.server());
                if (gateway.isEmpty()) {
                    LOG.warn("Balance operation {} waits: MT5 server {} is not connected", op.crmTxnId(), op.server());
                    yield op;
                }
                yield send(op, gateway.get());
            }
            case SENT -> inFlight.contains(op.crmTxnId()) ? op : lookUp(op);
            case UNKNOWN -> lookUp(op);
        };
    }

    private BalanceOperation send(BalanceOperation op, Mt5Dealer gateway) throws SQLException {
        String id = op.crmTxnId();
        try {
            if (!store.markSent(id)) {
                return advance(reload(id));
            }
        } catch (FencedException e) {
            // another hub instance owns the server now: it sends the request (RECEIVED in the shared database)
            LOG.info("Balance operation {} left to the new owner of MT5 server {}", id, op.server());
            return op;
        }
        inFlight.add(id);
        try {
            BalanceResult result = gateway.balance(new BalanceOrder(op.login(), op.mt5Action(), op.mt5Amount(),
                    op.reference()));
            if (result.isDone()) {
                store.recordAnswer(id, result.dealTicket(), result.retcode());
                LOG.info("Balance operation {} done by MT5 {}: deal {}", id, op.server(), result.dealTicket());
                return reload(id);
            }
            if (UNKNOWN_OUTCOME_CODES.contains(result.retcode())) {
                return unknown(op, result.retcode(), result.message());
            }
            String reason = result.message() == null || result.message().isBlank()
                    ? Mt5Retcode.describe(result.retcode()) : result.message();
            if (store.markRejected(id, result.retcode(), reason)) {
                LOG.info("Balance operation {} rejected by MT5 {}: {} {}", id, op.server(), result.retcode(), reason);
                BalanceOperation rejected = reload(id);
                ended(rejected);
                return rejected;
            }
            return reload(id);
        } catch (RequestNotSentException e) {
            return notSent(op, e.getMessage());
        } catch (GatewayException e) {
            return unknown(op, e.retcode(), e.getMessage());
        } catch (RuntimeException e) {
            return unknown(op, null, e.toString());
        } finally {
            inFlight.remove(id);
        }
    }

    /** Provably never sent: back to RECEIVED, to be sent when its server is connected again. */
    private BalanceOperation notSent(BalanceOperation op, String message) throws SQLException {
        LOG.warn("Balance operation {} on {} was not sent ({}); it will be sent once the server is reachable",
                op.crmTxnId(), op.server(), message);
        store.markNotSent(op.crmTxnId(), "not sent yet: " + message);
        return reload(op.crmTxnId());
    }

    private BalanceOperation unknown(BalanceOperation op, Integer retcode, String message) throws SQLException {
        LOG.warn("Balance operation {} on {}: outcome unknown ({}); looking the deal up before anything else",
                op.crmTxnId(), op.server(), message);
        store.markUnknown(op.crmTxnId(), retcode, "outcome unknown: " + message);
        return lookUp(reload(op.crmTxnId()));
    }

    /** Looks for the deal carrying the reference; never sends. */
    private BalanceOperation lookUp(BalanceOperation op) throws SQLException {
        Optional<Mt5Dealer> gateway = gateways.connected(op.server());
        if (gateway.isEmpty()) {
            return op;
        }
        List<Mt5Event> deals;
        try {
            deals = dealsCarryingReference(gateway.get(), op);
        } catch (GatewayException | RuntimeException e) {
            LOG.warn("Balance operation {}: cannot look up its deal on {}: {}", op.crmTxnId(), op.server(),
                    e.getMessage());
            return op;
        }
        if (!deals.isEmpty()) {
            return confirm(op, deals);
        }
        if (op.state() == BalanceState.SENT && op.dealTicket() == null && op.sentAt() != null
                && op.sentAt().plus(answerTimeout).isBefore(clock.instant())) {
            store.markUnknown(op.crmTxnId(), null, "no answer from MT5 was recorded (the hub stopped during the"
                    + " call?) and no deal carries reference " + op.reference());
            return reload(op.crmTxnId());
        }
        return op;
    }

    private static List<Mt5Event> dealsCarryingReference(Mt5Dealer gateway, BalanceOperation op)
            throws GatewayException {
        // the login's whole history: the reference is unique on the server, and MT5's clock is not ours
        return gateway.findDeals(op.login(), op.reference(), Instant.EPOCH).stream()
                .filter(e -> e.deal() != null && e.type().change() != ChangeType.DELETED).toList();
    }

    private BalanceOperation confirm(BalanceOperation op, List<Mt5Event> deals) throws SQLException {
        Mt5Event first = deals.get(0);
        StringBuilder problems = new StringBuilder();
        if (deals.size() > 1) {
            problems.append("MT5 holds ").append(deals.size()).append(" deals with reference ").append(op.reference())
                    .append(": ").append(deals.stream().map(d -> Long.toString(d.deal().ticket())).toList())
                    .append("; ");
        }
        if (first.deal().action() != op.mt5Action() || first.deal().money().compareTo(op.mt5Amount()) != 0) {
            problems.append("deal ").append(first.deal().ticket()).append(" is ").append(first.deal().action())
                    .append(' ').append(first.deal().money().toPlainString()).append(", the request ")
                    .append(op.mt5Action()).append(' ').append(op.mt5Amount().toPlainString());
        }
        if (!problems.isEmpty()) {
            LOG.error("Balance operation {}: {}", op.crmTxnId(), problems);
        }
        if (op.state() == BalanceState.UNKNOWN) {
            problems.append(problems.isEmpty() ? "" : "; ").append("confirmed by looking the deal up after: ")
                    .append(op.reason());
        }
        String reason = problems.isEmpty() ? null : problems.toString();
        if (store.markConfirmed(op.crmTxnId(), first.deal().ticket(), reason)) {
            LOG.info("Balance operation {} confirmed: MT5 {} deal {}", op.crmTxnId(), op.server(),
                    first.deal().ticket());
            BalanceOperation confirmed = reload(op.crmTxnId());
            ended(confirmed);
            return confirmed;
        }
        return reload(op.crmTxnId());
    }

    private void ended(BalanceOperation op) {
        CompletableFuture<Void> done = finals.remove(op.crmTxnId());
        if (done != null) {
            done.complete(null);
        }
        for (Consumer<BalanceOperation> listener : outcomeListeners) {
            try {
                listener.accept(op);
            } catch (RuntimeException e) {
                LOG.warn("balance outcome listener failed for {}: {}", op.crmTxnId(), e.toString());
            }
        }
    }

    private BalanceOperation reload(String crmTxnId) throws SQLException {
        return store.find(crmTxnId).orElseThrow(() -> new IllegalStateException("balance operation " + crmTxnId
                + " vanished from the store"));
    }

    private ReentrantLock lockOf(String crmTxnId) {
        return locks[Math.floorMod(crmTxnId.hashCode(), locks.length)];
    }
}

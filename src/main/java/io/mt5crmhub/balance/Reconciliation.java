package io.mt5crmhub.balance;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.sql.DataSource;

import io.mt5crmhub.balance.ReconciliationReport.LoginDifference;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.Mt5Event;

/**
 * Compares, per login, MT5's balance with the CRM ledger: the sum of {@code profit + commission + swap + fee} of the
 * login's deals in {@code crm_deal}, deleted deals left out, whose action lands on the balance ({@link DealAction#affectsBalance()}: trades,
 * deposits and withdrawals, corrections, bonuses, charges, commissions, agent payouts...; credit operations move
 * credit, not balance, and cancelled trades carry no money). Also lists balance requests not CONFIRMED or REJECTED
 * after the grace period.
 * <p>
 * The ledger is complete only if the store holds each login's whole deal history (the hub ran since the login's
 * first deal, or its initial back-fill covered it). While the hub runs, a deal may be on MT5 a moment before it is
 * in the store: differing logins are compared again until the settle time has passed, and only what still differs
 * is reported.
 */
public class Reconciliation {

    /** MT5's accounts of a server, as {@code account.*} events. */
    @FunctionalInterface
    public interface AccountSource {
        List<Mt5Event> accounts(String server) throws Exception;
    }

    /** How far a reconciliation has got, for a terminal. */
    @FunctionalInterface
    public interface Progress {

        Progress NONE = (round, serversDone, servers, logins, differences) -> {
        };

        /**
         * One more MT5 server read and compared in {@code round} (1, then one more for each comparison again while
         * logins differ): {@code serversDone} of {@code servers}, with {@code logins} compared and {@code differences}
         * found so far in the round.
         */
        void serverCompared(int round, int serversDone, int servers, int logins, int differences);
    }

    private final DataSource store;
    private final BalanceRequestStore requests;
    private final AccountSource mt5;
    private final List<String> servers;
    private final Duration grace;
    private final Clock clock;

    public Reconciliation(DataSource store, BalanceRequestStore requests, AccountSource mt5, List<String> servers,
            Duration grace, Clock clock) {
        this.store = store;
        this.requests = requests;
        this.mt5 = mt5;
        this.servers = List.copyOf(servers);
        this.grace = grace;
        this.clock = clock;
    }

    public ReconciliationReport run(Duration settle) throws SQLException, InterruptedException {
        return run(settle, Progress.NONE);
    }

    /** As {@link #run(Duration)}, telling {@code progress} after each server compared. */
    public ReconciliationReport run(Duration settle, Progress progress) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + settle.toNanos();
        int round = 1;
        ReconciliationReport report = once(round, progress);
        while (!report.differences().isEmpty() && report.problems().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            report = once(++round, progress);
        }
        return report;
    }

    private ReconciliationReport once(int round, Progress progress) throws SQLException {
        Instant now = clock.instant();
        List<LoginDifference> differences = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int compared = 0;
        int serversDone = 0;
        for (String server : servers) {
            Map<Long, BigDecimal> balances = new HashMap<>();
            try {
                for (Mt5Event event : mt5.accounts(server)) {
                    if (event.account() != null) {
                        balances.put(event.login(), event.account().balance());
                    }
                }
            } catch (Exception e) {
                problems.add("cannot read the accounts of MT5 server " + server + ": " + e.getMessage());
                progress.serverCompared(round, ++serversDone, servers.size(), compared, differences.size());
                continue;
            }
            Map<Long, BigDecimal> ledger = ledger(server);
            TreeSet<Long> logins = new TreeSet<>(balances.keySet());
            logins.addAll(ledger.keySet());
            for (long login : logins) {
                compared++;
                BigDecimal balance = balances.get(login);
                BigDecimal booked = ledger.getOrDefault(login, BigDecimal.ZERO);
                if (balance == null ? booked.signum() != 0 : balance.compareTo(booked) != 0) {
                    differences.add(new LoginDifference(server, login, balance, booked));
                }
            }
            progress.serverCompared(round, ++serversDone, servers.size(), compared, differences.size());
        }
        return new ReconciliationReport(now, compared, differences, requests.unresolvedSince(now.minus(grace)),
                problems);
    }

    private Map<Long, BigDecimal> ledger(String server) throws SQLException {
        Map<Long, BigDecimal> sums = new HashMap<>();
        try (Connection c = store.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT login, action, SUM(profit + commission + swap + fee)"
                     + " FROM crm_deal WHERE server = ? AND NOT deleted GROUP BY login, action")) {
            ps.setString(1, server);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (DealAction.valueOf(rs.getString(2)).affectsBalance()) {
                        sums.merge(rs.getLong(1), BalanceRequestStore.strip(rs.getBigDecimal(3)), BigDecimal::add);
                    }
                }
            }
        }
        return sums;
    }
}

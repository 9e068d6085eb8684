package io.mt5crmhub.balance;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reconciliation found: logins whose MT5 balance differs from the CRM ledger, balance requests still not
 * CONFIRMED or REJECTED after the grace period, and servers that could not be asked. Clean when all three are empty.
 */
public record ReconciliationReport(Instant checkedAt, int loginsCompared, List<LoginDifference> differences,
        List<BalanceOperation> stuckRequests, List<String> problems) {

    /** One login: MT5's balance (null when MT5 does not show the login) against the ledger's sum. */
    public record LoginDifference(String server, long login, BigDecimal mt5Balance, BigDecimal ledger) {
        public BigDecimal difference() {
            return (mt5Balance == null ? BigDecimal.ZERO : mt5Balance).subtract(ledger);
        }
    }

    public boolean isClean() {
        return differences.isEmpty() && stuckRequests.isEmpty() && problems.isEmpty();
    }

    /** The report as ops read it on a terminal. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append("Reconciliation at ").append(checkedAt).append(": ").append(loginsCompared)
                .append(" logins compared, ").append(differences.size()).append(" differ, ")
                .append(stuckRequests.size()).append(" balance requests unresolved past the grace period\n");
        if (!differences.isEmpty()) {
            out.append(String.format("%-12s %12s %20s %20s %20s%n", "server", "login", "mt5 balance", "crm ledger",
                    "difference"));
            for (LoginDifference d : differences) {
                out.append(String.format("%-12s %12d %20s %20s %20s%n", d.server(), d.login(),
                        d.mt5Balance() == null ? "(not on MT5)" : d.mt5Balance().toPlainString(),
                        d.ledger().toPlainString(), d.difference().toPlainString()));
            }
        }
        if (!stuckRequests.isEmpty()) {
            out.append(String.format("%-24s %-10s %-12s %12s %-10s %s%n", "crmTxnId", "state", "server", "login",
                    "type", "since"));
            for (BalanceOperation op : stuckRequests) {
                out.append(String.format("%-24s %-10s %-12s %12d %-10s %s%n", op.crmTxnId(), op.state(), op.server(),
                        op.login(), op.type(), op.createdAt()));
            }
        }
        for (String problem : problems) {
            out.append("problem: ").append(problem).append('\n');
        }
        out.append(isClean() ? "OK: MT5 and the CRM ledger agree\n" : "DIFFERENCES FOUND\n");
        return out.toString();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checkedAt", checkedAt.toString());
        m.put("clean", isClean());
        m.put("loginsCompared", loginsCompared);
        List<Map<String, Object>> diffs = new ArrayList<>();
        for (LoginDifference d : differences) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("server", d.server());
            row.put("login", d.login());
            row.put("mt5Balance", d.mt5Balance() == null ? null : d.mt5Balance().toPlainString());
            row.put("crmLedger", d.ledger().toPlainString());
            row.put("difference", d.difference().toPlainString());
            diffs.add(row);
        }
        m.put("differences", diffs);
        m.put("unresolvedRequests", stuckRequests.stream().map(BalanceJson::operation).toList());
        m.put("problems", problems);
        return m;
    }
}

package io.mt5crmhub.cli;

import java.util.Locale;
import java.util.function.LongSupplier;

import io.mt5crmhub.balance.Reconciliation;

/**
 * {@code reconcile}'s progress: MT5 servers read and compared against all of them, the rate and the time left, logins
 * compared and differences so far; a comparison again (logins still differ while deals arrive) says its round.
 */
final class ReconcileProgress implements Reconciliation.Progress {

    private final TerminalProgress terminal;
    private final LongSupplier nanoTime;
    private final long started;
    private String last;

    ReconcileProgress(TerminalProgress terminal, LongSupplier nanoTime) {
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    /** The first line, before the first server is asked for its accounts. */
    void start(int servers) {
        serverCompared(1, 0, servers, 0, 0);
    }

    @Override
    public void serverCompared(int round, int serversDone, int servers, int logins, int differences) {
        double elapsed = (nanoTime.getAsLong() - started) / 1e9;
        last = "reconcile" + (round > 1 ? " (comparing again, round " + round + ")" : "") + ": "
                + ProgressRate.describe(serversDone, servers, "MT5 servers", elapsed)
                + String.format(Locale.ROOT, ", %,d logins compared, %,d differ", logins, differences);
        terminal.update(last);
    }

    /** Shows the last line whatever the time, and ends it. */
    void finish() {
        if (last != null) {
            terminal.finish(last);
        }
    }
}

package io.mt5crmhub.ops;

import io.micrometer.core.instrument.Tags;
import io.mt5crmhub.balance.BalanceState;
import io.mt5crmhub.component.HubMeters;
import io.mt5crmhub.deadletter.DeadLetterCounts;
import org.apache.camel.CamelContext;

/**
 * The hub database's figures as meters, read from the last {@link StoreFigures} snapshot (never from the database
 * on a scrape): {@code hub_dead_letters} by state, {@code hub_dead_letter_oldest_age_seconds}, {@code
 * hub_balance_operations} by state, {@code hub_balance_sent_overdue} and {@code hub_store_figures_age_seconds}.
 */
public final class StoreMetrics {

    private StoreMetrics() {
    }

    public static HubMeters register(CamelContext context, StoreFigures figures) {
        HubMeters meters = HubMeters.of(context);
        for (String state : DeadLetterCounts.STATES) {
            meters.gauge("hub.dead.letters", null, "dead letters by replay state", Tags.of("state", state), figures,
                    f -> f.last().deadLetters().count(state));
        }
        meters.gauge("hub.dead.letter.oldest.age", "seconds", "how long the oldest dead letter not replayed has waited",
                Tags.empty(), figures, StoreMetrics::oldestDeadLetterAge);
        for (BalanceState state : BalanceState.values()) {
            meters.gauge("hub.balance.operations", null, "balance operations by state", Tags.of("state", state.name()),
                    figures, f -> f.last().balance().count(state));
        }
        meters.gauge("hub.balance.sent.overdue", null, "balance operations SENT longer than the answer timeout ago",
                Tags.empty(), figures, f -> f.last().balance().sentOverdue());
        meters.gauge("hub.store.figures.age", "seconds", "how old the dead letter and balance figures are",
                Tags.empty(), figures, StoreFigures::ageSeconds);
        return meters;
    }

    private static double oldestDeadLetterAge(StoreFigures figures) {
        StoreFigures.Snapshot last = figures.last();
        if (last.deadLetters().oldestWaiting() == null || last.readAt() == null) {
            return 0;
        }
        return Math.max(0, java.time.Duration.between(last.deadLetters().oldestWaiting(), java.time.Instant.now())
                .toMillis() / 1e3);
    }
}

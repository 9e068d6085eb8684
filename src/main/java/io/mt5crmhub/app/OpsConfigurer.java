package io.mt5crmhub.app;

import java.time.Clock;
import java.time.Duration;

import io.mt5crmhub.api.HttpSettings;
import io.mt5crmhub.balance.BalanceRequestStore;
import io.mt5crmhub.balance.BalanceSettings;
import io.mt5crmhub.deadletter.DeadLetters;
import io.mt5crmhub.ops.StatusRoutes;
import io.mt5crmhub.ops.StatusSampler;
import io.mt5crmhub.ops.StoreFigures;
import io.mt5crmhub.ops.StoreMetrics;
import io.mt5crmhub.store.HubDatabase;

/**
 * What ops watch beyond Camel's own metrics: the hub database's figures (dead letters, balance operations), read in
 * the background every {@link #REFRESH} and published as metrics, and, with the HTTP server on, the status sampled
 * every {@link #SAMPLE} and answered on {@code GET /status.json}.
 */
final class OpsConfigurer {

    static final Duration REFRESH = Duration.ofSeconds(5);
    static final Duration SAMPLE = Duration.ofSeconds(2);

    private final HubBeans beans;
    private final Clock clock = Clock.systemUTC();

    OpsConfigurer(HubBeans beans) {
        this.beans = beans;
    }

    void configure(HubDatabase database, DeadLetters deadLetters, BalanceSettings balance, HttpSettings http)
            throws Exception {
        BalanceRequestStore operations = new BalanceRequestStore(database.dataSource(), database.dialect(), clock);
        StoreFigures figures = new StoreFigures(deadLetters::counts,
                () -> operations.counts(clock.instant().minus(balance.answerTimeout())), clock);
        beans.startWithContext(() -> figures.start(REFRESH), figures::close);
        beans.metersWithContext(() -> StoreMetrics.register(beans.context(), figures));
        if (http.enabled()) {
            StatusSampler sampler = new StatusSampler(beans.context(), figures, clock, SAMPLE);
            beans.startWithContext(sampler::start, sampler::close);
            beans.addRoutes(new StatusRoutes(sampler));
        }
    }
}

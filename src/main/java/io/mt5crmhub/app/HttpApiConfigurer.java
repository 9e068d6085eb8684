package io.mt5crmhub.app;

import io.mt5crmhub.api.HttpSettings;
import io.mt5crmhub.app.BalanceConfigurer.BalanceApiParts;
import io.mt5crmhub.balance.BalanceApiRoutes;
import io.mt5crmhub.deadletter.DeadLetterApi;
import io.mt5crmhub.deadletter.DeadLetterApiRoutes;
import io.mt5crmhub.deadletter.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's HTTP port ({@code hub.http.port}: health, metrics and the APIs share it) and the APIs behind
 * {@code hub.api.keys}: balance operations with reconciliation, and dead letters.
 */
final class HttpApiConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiConfigurer.class);

    private final HubBeans beans;
    private final HttpSettings settings;

    HttpApiConfigurer(HubBeans beans, HttpSettings settings) {
        this.beans = beans;
        this.settings = settings;
    }

    /** Before anything is opened: a port taken by another process stops start-up with the key named. */
    void requirePortFree() {
        if (settings.enabled()) {
            HttpPortCheck.requireFree(settings.host(), settings.port());
        }
    }

    void addApis(BalanceApiParts balance, DeadLetters deadLetters) throws Exception {
        if (settings.apiEnabled()) {
            beans.addRoutes(new DeadLetterApiRoutes(new DeadLetterApi(settings.apiKeys(), deadLetters)));
        }
        if (!balance.settings().enabled()) {
            return;
        }
        if (settings.apiKeys().isEmpty()) {
            LOG.info("Balance API off: set hub.api.keys (env HUB_API_KEYS) to a comma list of bearer keys to turn on"
                    + " POST /api/v1/balance-operations and GET /api/v1/reconciliation");
        } else if (!settings.enabled()) {
            LOG.warn("Balance API off: hub.api.keys is set but the HTTP server is disabled (camel.server.enabled)");
        } else {
            beans.addRoutes(new BalanceApiRoutes(balance.api(settings.apiKeys())));
            LOG.info("Balance API on: /api/v1/balance-operations and /api/v1/reconciliation on port {} ({} key{})",
                    settings.port(), settings.apiKeys().size(), settings.apiKeys().size() == 1 ? "" : "s");
        }
    }
}

package io.mt5crmhub.app;

import java.time.Clock;
import java.util.Set;

import io.mt5crmhub.api.ApiKeys;
import io.mt5crmhub.balance.BalanceApi;
import io.mt5crmhub.balance.BalanceOutcomePublisher;
import io.mt5crmhub.balance.BalanceQueueRequests;
import io.mt5crmhub.balance.BalanceRequestStore;
import io.mt5crmhub.balance.BalanceRequestValidator;
import io.mt5crmhub.balance.BalanceResolver;
import io.mt5crmhub.balance.BalanceService;
import io.mt5crmhub.balance.BalanceSettings;
import io.mt5crmhub.balance.LoginCurrencies;
import io.mt5crmhub.balance.Mt5ComponentGateways;
import io.mt5crmhub.balance.Reconciliation;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.rabbitmq.RabbitSettings;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.ServerLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Balance operations ({@code hub.balance.*}): the service that sends them to MT5 once and confirms them by their
 * deal, the resolver that sends waiting ones and looks up unknown ones, the crm.balance.requests consumer's bean,
 * outcome events on RabbitMQ, and reconciliation. The routes' flags say whether the confirmation route and the
 * queue consumer start.
 */
final class BalanceConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(BalanceConfigurer.class);

    private final HubBeans beans;
    private final Clock clock = Clock.systemUTC();

    BalanceConfigurer(HubBeans beans) {
        this.beans = beans;
    }

    /** @return the API over the service, for the HTTP configurer to publish when keys are set */
    BalanceApiParts configure(BalanceSettings settings, RabbitSettings rabbit, CachingConnectionFactory rabbitConnections,
            ConfiguredGatewayFactory gateways, HubDatabase database, ServerLeases leases) throws Exception {
        BalanceRequestStore store = new BalanceRequestStore(database.dataSource(), database.dialect(), clock, leases);
        Mt5ComponentGateways mt5 = new Mt5ComponentGateways(beans.context(), gateways.serverIds());
        BalanceService service = new BalanceService(store, mt5, clock, settings.answerTimeout());
        BalanceRequestValidator validator = new BalanceRequestValidator(Set.copyOf(gateways.serverIds()),
                new LoginCurrencies(database.dataSource()));
        Reconciliation reconciliation = new Reconciliation(database.dataSource(), store,
                server -> mt5.connectedSource(server).orElseThrow(() -> new IllegalStateException(
                        "MT5 server " + server + " is not connected")).accounts(),
                gateways.serverIds(), settings.grace(), clock);

        beans.flag("hub.balance.enabled", settings.enabled());
        beans.flag(RouteFlags.BALANCE_QUEUE, settings.enabled() && rabbit.enabled());
        if (settings.enabled()) {
            BalanceOutcomePublisher outcomes = rabbit.enabled()
                    ? new BalanceOutcomePublisher(rabbitConnections, rabbit.exchange(), store) : null;
            // the balance service holds a connection to every server, like an mt5:balance producer would
            beans.addService(mt5);
            beans.addService(new BalanceResolver(beans.context(), service, outcomes, settings.resolveEvery()));
        } else {
            LOG.info("Balance operations off (hub.balance.enabled=false): no API, no crm.balance.requests consumer");
        }
        beans.bind("balanceService", service);
        beans.bind("balanceQueueRequests", new BalanceQueueRequests(service, validator));
        beans.bind("reconciliation", reconciliation);
        return new BalanceApiParts(settings, service, validator, reconciliation);
    }

    /** What the balance API is made of; it is published only with keys and the HTTP server on. */
    record BalanceApiParts(BalanceSettings settings, BalanceService service, BalanceRequestValidator validator,
            Reconciliation reconciliation) {

        BalanceApi api(ApiKeys keys) {
            return new BalanceApi(keys, service, validator, reconciliation, settings.confirmWait(),
                    settings.reconcileSettle());
        }
    }
}

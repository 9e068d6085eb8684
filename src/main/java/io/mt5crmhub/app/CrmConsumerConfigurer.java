package io.mt5crmhub.app;

import io.mt5crmhub.app.StoreConfigurer.HubStore;
import io.mt5crmhub.crm.CrmQueueEvents;
import io.mt5crmhub.crm.CrmSettings;
import io.mt5crmhub.rabbitmq.ConsumerFailurePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRM-side consumers of the crm.deals, crm.accounts and crm.positions queues ({@code hub.crm.consumer.*}):
 * the beans their route template names. {@link HubSettings} has checked that RabbitMQ (and, for the rest
 * connector, the REST CRM) is configured.
 */
final class CrmConsumerConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(CrmConsumerConfigurer.class);

    private final HubBeans beans;

    CrmConsumerConfigurer(HubBeans beans) {
        this.beans = beans;
    }

    void configure(CrmSettings settings, HubStore store) {
        beans.bind("crmQueueEvents", new CrmQueueEvents());
        beans.bind("crmQueueFailurePolicy", ConsumerFailurePolicy.interceptor());
        beans.bind("crmQueueIdempotentRepository", store.idempotencyKeys("crm-queue"));
        if (!settings.consumerEnabled()) {
            return;
        }
        LOG.info("CRM-side consumers on: crm.deals, crm.accounts, crm.positions -> the {} connector",
                settings.consumerConnector());
        if (settings.storeEnabled() && settings.consumerConnector().equals("jdbc")) {
            LOG.warn("hub.crm.store.enabled and hub.crm.consumer.enabled are both on: every event is applied to the"
                    + " crm_* tables twice (harmless, idempotent); set hub.crm.store.enabled=false to feed the store"
                    + " from RabbitMQ only");
        }
    }
}

package io.mt5crmhub.app;

import io.mt5crmhub.api.HttpSettings;
import io.mt5crmhub.balance.BalanceSettings;
import io.mt5crmhub.cluster.ClusterSettings;
import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;
import io.mt5crmhub.crm.CrmSettings;
import io.mt5crmhub.crm.RestCrmSettings;
import io.mt5crmhub.deadletter.DeadLetterSettings;
import io.mt5crmhub.kafka.KafkaSettings;
import io.mt5crmhub.rabbitmq.RabbitSettings;
import io.mt5crmhub.redis.RedisSettings;
import io.mt5crmhub.store.StoreSettings;

/**
 * Every {@code hub.*} setting, read and checked before anything is opened: one typed record per feature, and the
 * rules that tie two features together. A bad or missing setting stops start-up here with the key named.
 */
record HubSettings(HttpSettings http, StoreSettings store, RabbitSettings rabbitmq, RedisSettings redis,
        KafkaSettings kafka, RestCrmSettings restCrm, CrmSettings crm, BalanceSettings balance, DeadLetterSettings deadLetters,
        ClusterSettings cluster) {

    static HubSettings from(Settings settings) {
        HubSettings hub = new HubSettings(HttpSettings.from(settings), StoreSettings.from(settings),
                RabbitSettings.from(settings), RedisSettings.from(settings), KafkaSettings.from(settings),
                RestCrmSettings.from(settings), CrmSettings.from(settings),
                BalanceSettings.from(settings), DeadLetterSettings.from(settings), ClusterSettings.from(settings));
        hub.checkCrmConsumers();
        hub.checkCluster();
        return hub;
    }

    /** Instances sharing the servers must share one hub database, which an H2 file cannot be. */
    private void checkCluster() {
        if (cluster.enabled() && !store.url().startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("hub.cluster.type=" + cluster.type().name().toLowerCase(java.util.Locale.ROOT)
                    + " needs hub.db.url on PostgreSQL: every instance reads and writes the same hub database, and an H2"
                    + " file belongs to one process");
        }
    }

    /** The CRM-side queue consumers need RabbitMQ and, with the REST connector, a CRM URL. */
    private void checkCrmConsumers() {
        if (!crm.consumerEnabled()) {
            return;
        }
        if (!rabbitmq.enabled()) {
            throw new ConfigurationException("hub.crm.consumer.enabled=true needs hub.rabbitmq.uri: the consumers read"
                    + " the crm.* queues");
        }
        if (crm.consumerConnector().equals("rest") && !restCrm.enabled()) {
            throw new ConfigurationException("hub.crm.consumer.connector=rest needs hub.crm.rest.url");
        }
    }
}

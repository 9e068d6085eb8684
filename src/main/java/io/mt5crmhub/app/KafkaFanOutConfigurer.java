package io.mt5crmhub.app;

import io.mt5crmhub.app.StoreConfigurer.HubStore;
import io.mt5crmhub.kafka.KafkaSettings;

/**
 * The Kafka side, on when {@code hub.kafka.bootstrap-servers} is set: the fan-out routes' flag and their idempotency
 * gate (processor name {@code kafka}). The connector's step opens its own clients when its route starts.
 */
final class KafkaFanOutConfigurer {

    private final HubBeans beans;

    KafkaFanOutConfigurer(HubBeans beans) {
        this.beans = beans;
    }

    void configure(KafkaSettings settings, HubStore store) throws Exception {
        beans.flag(RouteFlags.KAFKA, settings.enabled());
        store.bindIdempotencyGate(beans, "kafka");
    }
}

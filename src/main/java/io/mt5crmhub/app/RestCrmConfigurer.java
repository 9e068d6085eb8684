package io.mt5crmhub.app;

import io.mt5crmhub.app.StoreConfigurer.HubStore;
import io.mt5crmhub.crm.RestCrmResponses;
import io.mt5crmhub.crm.RestCrmSettings;

/** The REST CRM sink, on when {@code hub.crm.rest.url} is set: its routes' flag, target and idempotency keys. */
final class RestCrmConfigurer {

    /** Where an unused REST sink points: a Kamelet needs a valid endpoint even when its route never starts. */
    private static final String NOWHERE = "http://crm-rest-sink.disabled.invalid/";

    private final HubBeans beans;

    RestCrmConfigurer(HubBeans beans) {
        this.beans = beans;
    }

    void configure(RestCrmSettings settings, HubStore store) throws Exception {
        beans.flag(RouteFlags.CRM_REST, settings.enabled());
        beans.property(RouteFlags.CRM_REST_TARGET, settings.url().orElse(NOWHERE));
        beans.bind("crmRestIdempotentRepository", store.serverIdempotencyKeys("crm-rest"));
        RestCrmResponses responses = new RestCrmResponses();
        beans.bind("crmRestResponses", responses);
        beans.metersWithContext(() -> responses.register(beans.context()));
    }
}

package io.mt5crmhub.crm;

import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Tags;
import io.mt5crmhub.component.HubMeters;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Counts the REST CRM's answers by status class (2xx, 4xx, 5xx, ...), as {@code hub_crm_rest_responses_total}. The
 * crm-rest-sink connector's HTTP endpoint names it as its {@code httpClientConfigurer}: it counts on the HTTP
 * client itself, every answer a retry gets included, at the cost of one increment per response.
 */
public final class RestCrmResponses implements HttpClientConfigurer {

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final LongAdder[] counts = new LongAdder[CLASSES.length];

    public RestCrmResponses() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addResponseInterceptorLast((response, entity, context) -> counted(response.getCode()));
    }

    void counted(int status) {
        int i = status / 100 - 1;
        if (i >= 0 && i < counts.length) {
            counts[i].increment();
        }
    }

    /** Answers with a status of {@code statusClass} ("2xx", ...). */
    public long count(String statusClass) {
        for (int i = 0; i < CLASSES.length; i++) {
            if (CLASSES[i].equals(statusClass)) {
                return counts[i].sum();
            }
        }
        return 0;
    }

    public HubMeters register(CamelContext context) {
        HubMeters meters = HubMeters.of(context);
        for (String statusClass : CLASSES) {
            meters.counter("hub.crm.rest.responses", null, "the REST CRM's answers by status class",
                    Tags.of("status", statusClass), this, r -> r.count(statusClass));
        }
        return meters;
    }
}

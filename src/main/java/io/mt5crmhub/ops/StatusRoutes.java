package io.mt5crmhub.ops;

import io.mt5crmhub.api.ApiAnswers;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code GET /status.json} on the hub's HTTP port: the last {@link StatusSampler} sample, answered from memory. It
 * needs no API key: it shows what {@code /observe/health} and {@code /observe/metrics} already show, and never a
 * password, key or personal data beyond MT5 logins.
 */
public class StatusRoutes extends RouteBuilder {

    private final StatusSampler sampler;

    public StatusRoutes(StatusSampler sampler) {
        this.sampler = sampler;
    }

    @Override
    public void configure() {
        from("platform-http:/status.json?httpMethodRestrict=GET").routeId("ops-status-json")
                .process(exchange -> {
                    ApiAnswers.respond(exchange, 200, sampler.current());
                    exchange.getMessage().setHeader("Cache-Control", "no-store");
                });
    }
}

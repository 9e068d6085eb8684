package io.mt5crmhub.ops;

import java.util.Map;
import java.util.TreeMap;

import io.mt5crmhub.api.ApiAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The status on the hub's HTTP port: {@code GET /status.json}, the last {@link StatusSampler} sample answered from
 * memory, and the status page at {@code /} that draws it, one route per allow-listed file ({@link StatusPage}).
 * Neither needs an API key: they show what {@code /observe/health} and {@code /observe/metrics} already show, and
 * never a password, key or personal data beyond MT5 logins.
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
        int n = 0;
        for (Map.Entry<String, StatusPage.Asset> file : new TreeMap<>(StatusPage.assets()).entrySet()) {
            StatusPage.Asset asset = file.getValue();
            from("platform-http:" + file.getKey() + "?httpMethodRestrict=GET").routeId("ops-status-page-" + ++n)
                    .process(exchange -> {
                        exchange.getMessage().removeHeaders("*");
                        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, asset.contentType());
                        exchange.getMessage().setHeader("Cache-Control", "max-age=60");
                        exchange.getMessage().setBody(asset.body());
                    });
        }
    }
}

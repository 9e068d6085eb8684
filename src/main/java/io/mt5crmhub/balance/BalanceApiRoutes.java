package io.mt5crmhub.balance;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The balance API on the hub's HTTP server (platform-http, {@code hub.http.port}):
 * {@code POST /api/v1/balance-operations}, {@code GET /api/v1/balance-operations/{crmTxnId}},
 * {@code POST /api/v1/balance-operations/{crmTxnId}/close},
 * {@code GET /api/v1/reconciliation}. Added only when {@code hub.api.keys} holds at least one key.
 */
public class BalanceApiRoutes extends RouteBuilder {

    private final BalanceApi api;

    public BalanceApiRoutes(BalanceApi api) {
        this.api = api;
    }

    @Override
    public void configure() {
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        rest("/api/v1")
                .post("/balance-operations").id("api-balance-post").to("direct:api-balance-post")
                .get("/balance-operations/{crmTxnId}").id("api-balance-get").to("direct:api-balance-get")
                .post("/balance-operations/{crmTxnId}/close").id("api-balance-close").to("direct:api-balance-close")
                .get("/reconciliation").id("api-reconciliation").to("direct:api-reconciliation");

        from("direct:api-balance-post").routeId("balance-api-post").process(api::post);
        from("direct:api-balance-get").routeId("balance-api-get").process(api::get);
        from("direct:api-balance-close").routeId("balance-api-close").process(api::close);
        from("direct:api-reconciliation").routeId("balance-api-reconciliation").process(api::reconcile);
    }
}

package io.mt5crmhub.deadletter;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The dead-letter API on the hub's HTTP server (platform-http, {@code hub.http.port}), on when {@code hub.api.keys}
 * holds a key: {@code GET /api/v1/dead-letters}, {@code GET /api/v1/dead-letters/{id}},
 * {@code POST /api/v1/dead-letters/{id}/replay}, {@code POST /api/v1/dead-letters/replay}.
 */
public class DeadLetterApiRoutes extends RouteBuilder {

    private final DeadLetterApi api;

    public DeadLetterApiRoutes(DeadLetterApi api) {
        this.api = api;
    }

    @Override
    public void configure() {
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        rest("/api/v1/dead-letters")
                .get().id("api-dead-letters-list").to("direct:api-dead-letters-list")
                .post("/replay").id("api-dead-letters-replay-all").to("direct:api-dead-letters-replay-all")
                .get("/{id}").id("api-dead-letters-show").to("direct:api-dead-letters-show")
                .post("/{id}/replay").id("api-dead-letters-replay").to("direct:api-dead-letters-replay");

        from("direct:api-dead-letters-list").routeId("dead-letters-api-list").process(api::list);
        from("direct:api-dead-letters-replay-all").routeId("dead-letters-api-replay-all").process(api::replayAll);
        from("direct:api-dead-letters-show").routeId("dead-letters-api-show").process(api::show);
        from("direct:api-dead-letters-replay").routeId("dead-letters-api-replay").process(api::replay);
    }
}

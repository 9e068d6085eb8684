package io.mt5crmhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "plug in your own CRM" example of docs/routes-and-connectors.md (docs/examples/plug-a-crm.yaml) works as written. */
class PlugACrmExampleIT {

    @TempDir
    Path dir;

    private static boolean idle(EmbeddedHub hub) {
        var replay = (io.mt5crmhub.gateway.replay.ReplayGateway) hub.context()
                .getComponent("mt5", io.mt5crmhub.component.Mt5Component.class).connections().get("acme").source();
        var consumer = (io.mt5crmhub.component.Mt5Consumer) hub.context().getRoute("acme-crm-deals").getConsumer();
        return replay.isFinished() && consumer.getPendingExchangesSize() == 0
                && hub.context().getInflightRepository().size() == 0;
    }

    @Test
    void theExampleRouteSendsRealGroupDealsToTheBrokersCrm() throws Exception {
        WireMockServer crm = new WireMockServer(wireMockConfig().dynamicPort());
        crm.start();
        try {
            crm.stubFor(post(urlEqualTo("/acme/events")).willReturn(aResponse().withStatus(201)));
            Mt5Event real = EventSamples.deposit("acme", 1_000_001, 50001, "10.00", "real group");
            Mt5Event demo = new Mt5Event(Mt5Event.SCHEMA, "acme:deal:1000002:added", real.type(), "acme", 50002, null,
                    "demo\\usd", real.occurredAt(), new io.mt5crmhub.event.Deal(1_000_002, 0, 0, real.deal().action(),
                    real.deal().entry(), real.deal().reason(), "", real.deal().volume(), real.deal().price(),
                    real.deal().profit(), real.deal().commission(), real.deal().swap(), real.deal().fee(), ""), null, null);
            Path file = EventSamples.writeJsonl(dir.resolve("acme.jsonl"), List.of(EventSamples.json(real),
                    EventSamples.json(demo)));

            try (EmbeddedHub hub = new EmbeddedHub()
                    .with("camel.main.routes-include-pattern", "file:routes/*.yaml,file:docs/examples/plug-a-crm.yaml")
                    .with("mt5.servers", "acme")
                    .with("mt5.server.acme.gateway", "replay")
                    .with("mt5.server.acme.file", file.toString())
                    .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                    .with("acme.crm.url", "http://127.0.0.1:" + crm.port() + "/acme/events")
                    .with("acme.crm.token", "Bearer acme-secret")
                    .start()) {
                // wait until the replay is played and the example route has nothing left: then every deal it was
                // going to send has been sent
                await().atMost(Duration.ofSeconds(20)).until(() -> !crm.getAllServeEvents().isEmpty() && idle(hub));
            }

            Set<String> keys = crm.getAllServeEvents().stream().map(e -> e.getRequest().getHeader("Idempotency-Key"))
                    .collect(Collectors.toSet());
            assertThat(keys).containsExactly(real.eventId());
            assertThat(crm.getAllServeEvents().get(0).getRequest().getHeader("Authorization"))
                    .isEqualTo("Bearer acme-secret");
        } finally {
            crm.stop();
        }
    }
}

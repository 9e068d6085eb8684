package io.mt5crmhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.PrometheusText;
import io.mt5crmhub.testsupport.TestCrm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The business metrics on /observe/metrics move as events flow: an MT5 server's events by type, what each sink took
 * and dead-lettered, the REST CRM's answers by status class, and the dead letters the database holds.
 */
class BusinessMetricsTest {

    private static final String SERVER = "m1";
    private static final String PATH = "/crm/events";
    private static final int DEPOSITS = 6;
    private static final int REFUSED = 2;

    @TempDir
    Path dir;
    @RegisterExtension
    final WireMockExtension crm = TestCrm.onAFreePort();

    @Test
    void figuresFollowTheEventsThroughEachSink() throws Exception {
        List<Mt5Event> deals = new ArrayList<>();
        for (long t = 1; t <= DEPOSITS; t++) {
            deals.add(EventSamples.deposit(SERVER, 2_000_000 + t, 50001, "10.00", "d" + t));
        }
        crm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)));
        for (Mt5Event refused : deals.subList(0, REFUSED)) {
            crm.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing(refused.eventId())).atPriority(1)
                    .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"unknown login\"}")));
        }
        Path file = EventSamples.writeJsonl(dir.resolve("m1.jsonl"), deals.stream().map(EventSamples::json).toList());

        try (EmbeddedHub hub = new EmbeddedHub()
                .replay(SERVER, file)
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                .with("hub.crm.rest.url", "http://127.0.0.1:" + crm.getPort() + PATH)
                .start()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PrometheusText metrics = PrometheusText.scrape(hub.context());
                assertThat(metrics.value("mt5_consumer_dead_lettered_events_total", "routeId", "crm-rest-deals"))
                        .isEqualTo(REFUSED);
                assertThat(metrics.value("mt5_consumer_delivered_events_total", "routeId", "crm-rest-deals"))
                        .isEqualTo(DEPOSITS - REFUSED);
                assertThat(metrics.value("hub_dead_letters", "state", "DEAD")).isEqualTo(REFUSED);
            });

            PrometheusText metrics = PrometheusText.scrape(hub.context());
            assertThat(metrics.value("mt5_server_connected", "server", SERVER, "gateway", "replay")).isEqualTo(1);
            assertThat(metrics.value("mt5_server_received_events_total", "server", SERVER, "type", "deal.added"))
                    .isEqualTo(DEPOSITS);
            assertThat(metrics.value("mt5_server_received_events_total", "server", SERVER, "type", "account.updated"))
                    .isZero();
            assertThat(metrics.value("mt5_server_last_event_age_seconds", "server", SERVER)).isBetween(0.0, 30.0);
            assertThat(metrics.value("mt5_server_reconnects_total", "server", SERVER)).isZero();
            assertThat(metrics.value("mt5_server_skipped_records_total", "server", SERVER)).isZero();

            assertThat(metrics.value("mt5_consumer_delivered_events_total", "routeId", "crm-store-deals"))
                    .isEqualTo(DEPOSITS);
            assertThat(metrics.value("mt5_consumer_failed_events_total", "routeId", "crm-rest-deals")).isZero();
            assertThat(metrics.value("mt5_consumer_bound_events", "routeId", "crm-rest-deals"))
                    .isGreaterThanOrEqualTo(metrics.value("mt5_consumer_held_events", "routeId", "crm-rest-deals"))
                    .isPositive();
            assertThat(metrics.has("mt5_consumer_checkpoint_age_seconds", "routeId", "crm-store-deals")).isTrue();
            assertThat(metrics.has("mt5_consumer_checkpoint_age_seconds", "routeId", "crm-store-accounts"))
                    .as("accounts are read from a snapshot, with no checkpoint").isFalse();

            assertThat(metrics.value("hub_crm_rest_responses_total", "status", "2xx")).isEqualTo(DEPOSITS - REFUSED);
            assertThat(metrics.value("hub_crm_rest_responses_total", "status", "4xx")).isEqualTo(REFUSED);
            assertThat(metrics.value("hub_dead_letter_oldest_age_seconds")).isBetween(0.0, 60.0);
            assertThat(metrics.value("hub_balance_operations", "state", "UNKNOWN")).isZero();
            assertThat(metrics.value("hub_balance_sent_overdue")).isZero();
            assertThat(metrics.value("hub_store_figures_age_seconds")).isBetween(0.0, 30.0);
        }
    }
}

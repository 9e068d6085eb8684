package io.mt5crmhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.mt5crmhub.testsupport.HubProcess;
import io.mt5crmhub.testsupport.OpsDocs;
import io.mt5crmhub.testsupport.PrometheusText;
import io.mt5crmhub.testsupport.PromQlSelectors;
import io.mt5crmhub.testsupport.PromQlSelectors.Selector;
import io.mt5crmhub.testsupport.SimulatorProcess;
import io.mt5crmhub.testsupport.TestCrm;
import io.mt5crmhub.testsupport.WebApiHubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What docs/ops/ and docs/operations.md name is what the jar exposes: a hub on the Web API gateway (so MT5 requests
 * are timed) with a REST CRM, scraped on /observe/metrics once events flow. Every metric, with every label value, the
 * dashboard's queries and the alert rules select exists; the promtool tests feed series by those names and labels;
 * and the metrics table of docs/operations.md lists every hub metric the scrape holds, and nothing else.
 */
class OpsDashboardIT {

    private static final String CRM_PATH = "/crm/events";
    private static final Pattern DOCUMENTED = Pattern.compile("`((?:mt5|hub)_[a-z_]+)`");

    @RegisterExtension
    final WireMockExtension crm = TestCrm.onAFreePort();

    @Test
    void everyMetricTheDashboardTheAlertsAndTheDocsNameIsOnALiveHub() throws Exception {
        crm.stubFor(post(urlEqualTo(CRM_PATH)).willReturn(aResponse().withStatus(200)));
        Path dir = HubProcess.prepareWorkDir("ops-dashboard");
        int mt5Port = SimulatorProcess.freePort();
        try (SimulatorProcess mt5 = new SimulatorProcess(dir.resolve("mt5"), mt5Port).start("--rate", "10");
             HubProcess hub = WebApiHubs.hub(dir, SimulatorProcess.freePort(), mt5)
                     .env("HUB_CRM_REST_URL", "http://127.0.0.1:" + crm.getPort() + CRM_PATH)) {
            hub.start();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(hub::isHealthUp);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                PrometheusText m = hub.metrics();
                return m.value("hub_crm_rest_responses_total", "status", "2xx") > 0
                        && m.has("mt5_request_seconds_count") && m.value("hub_store_figures_age_seconds") >= 0;
            });
            PrometheusText metrics = hub.metrics();

            List<String> missing = new ArrayList<>();
            List<String> expressions = new ArrayList<>(OpsDocs.dashboardExpressions());
            expressions.addAll(OpsDocs.alertExpressions());
            int selectors = 0;
            for (String expression : expressions) {
                for (Selector s : PromQlSelectors.of(expression)) {
                    selectors++;
                    if (!metrics.has(s.metric(), s.labelPairs())) {
                        missing.add(s + " in " + expression);
                    }
                }
            }
            for (String series : OpsDocs.testSeries()) {
                for (Selector s : PromQlSelectors.of(series)) {
                    for (String label : s.labels().keySet()) {
                        if (!metrics.hasLabel(s.metric(), label)) {
                            missing.add("label " + label + " of " + s.metric() + " in the promtool test series " + series);
                        }
                    }
                }
            }
            assertThat(selectors).as("selectors read from the dashboard and the rules").isGreaterThan(30);
            assertThat(missing).as("named in docs/ops but not on /observe/metrics").isEmpty();

            SortedSet<String> exposed = hubMetrics(metrics);
            SortedSet<String> documented = documentedMetrics();
            assertThat(documented).as("docs/operations.md#metrics against /observe/metrics")
                    .containsExactlyElementsOf(exposed);
        }
    }

    /** The hub's own metric families in a scrape; a timer's {@code _count}, {@code _sum}, {@code _max} as one. */
    private static SortedSet<String> hubMetrics(PrometheusText metrics) {
        SortedSet<String> families = new TreeSet<>();
        for (String name : metrics.names()) {
            if (name.startsWith("mt5_") || name.startsWith("hub_")) {
                families.add(name.replaceAll("_(count|sum|max|bucket)$", ""));
            }
        }
        return families;
    }

    /** The metrics the tables of docs/operations.md's Metrics section name. */
    private static SortedSet<String> documentedMetrics() {
        String operations = OpsDocs.read(OpsDocs.OPERATIONS);
        int start = operations.indexOf("\n## Metrics\n");
        String section = operations.substring(start, operations.indexOf("\n## ", start + 1));
        SortedSet<String> names = new TreeSet<>();
        for (String line : section.split("\n")) {
            Matcher m = DOCUMENTED.matcher(line);
            if (line.startsWith("| `") && m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}

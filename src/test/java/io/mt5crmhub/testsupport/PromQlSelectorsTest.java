package io.mt5crmhub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.mt5crmhub.testsupport.PromQlSelectors.Selector;
import org.junit.jupiter.api.Test;

/** The fixture OpsDashboardIT reads the alert rules and the dashboard with finds each series they select. */
class PromQlSelectorsTest {

    @Test
    void findsEachMetricWithItsEqualityMatchersPastFunctionsGroupingAndRanges() {
        assertThat(PromQlSelectors.of("delta(mt5_consumer_checkpoint_age_seconds[10m]) > 540 and on (server) sum by"
                + " (server) (increase(mt5_server_received_events_total{type=\"deal.added\", server=~\"live.*\"}[10m]))"
                + " > 0")).containsExactly(
                        new Selector("mt5_consumer_checkpoint_age_seconds", Map.of()),
                        new Selector("mt5_server_received_events_total", Map.of("type", "deal.added")));
    }

    @Test
    void leavesOutGrafanaVariablesAndNumbers() {
        assertThat(PromQlSelectors.of("sum by (server, operation) (rate(mt5_request_seconds_sum[$__rate_interval]))"
                + " / sum by (server, operation) (rate(mt5_request_seconds_count[${interval}])) * 1e3 > 2"))
                .extracting(Selector::metric).containsExactly("mt5_request_seconds_sum", "mt5_request_seconds_count");
    }

    @Test
    void readsASeriesOfAPromtoolTest() {
        assertThat(PromQlSelectors.of("mt5_server_connected{server=\"live1\",gateway=\"webapi\"}")).containsExactly(
                new Selector("mt5_server_connected", Map.of("server", "live1", "gateway", "webapi")));
    }
}

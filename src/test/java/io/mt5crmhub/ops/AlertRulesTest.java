package io.mt5crmhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.mt5crmhub.testsupport.OpsDocs;
import io.mt5crmhub.testsupport.Promtool;
import org.junit.jupiter.api.Test;

/**
 * The alert rules ops load into Prometheus (docs/ops/mt5-crm-hub-alerts.yml) are valid for Prometheus's own checker,
 * each fires when its condition holds long enough and not otherwise (the promtool unit tests beside it), and each has
 * a runbook entry in docs/operations.md. Which metrics they name exist on a live hub: OpsDashboardIT.
 */
class AlertRulesTest {

    @Test
    void prometheusAcceptsTheRules() throws Exception {
        Promtool.Run run = Promtool.run("check", "rules", OpsDocs.RULES.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + OpsDocs.alertNames().size() + " rules found");
    }

    @Test
    void eachAlertFiresWhenItsConditionLastsAndNotOtherwise() throws Exception {
        Promtool.Run run = Promtool.run("test", "rules", OpsDocs.RULE_TESTS.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAPromtoolTestAndARunbookEntry() {
        List<String> alerts = OpsDocs.alertNames();
        String tests = OpsDocs.read(OpsDocs.RULE_TESTS);
        String rules = OpsDocs.read(OpsDocs.RULES);
        String operations = OpsDocs.read(OpsDocs.OPERATIONS);

        assertThat(alerts).hasSizeGreaterThanOrEqualTo(5).doesNotHaveDuplicates();
        assertThat(OpsDocs.alertExpressions()).as("one single-line expr per alert").hasSameSizeAs(alerts);
        for (String alert : alerts) {
            assertThat(tests).as("a promtool test of " + alert).contains("alertname: " + alert + "\n");
            assertThat(rules).as("the runbook link of " + alert)
                    .contains("runbook: \"docs/operations.md#" + alert.toLowerCase() + "\"");
            assertThat(operations).as("a runbook entry for " + alert).contains("\n### " + alert + "\n");
        }
    }
}

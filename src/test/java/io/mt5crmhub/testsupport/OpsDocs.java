package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What ops get in docs/ops/: the Prometheus alert rules, their promtool tests and the Grafana dashboard. */
public final class OpsDocs {

    public static final Path RULES = Path.of("docs", "ops", "mt5-crm-hub-alerts.yml");
    public static final Path RULE_TESTS = Path.of("docs", "ops", "mt5-crm-hub-alerts.test.yml");
    public static final Path DASHBOARD = Path.of("docs", "ops", "mt5-crm-hub-dashboard.json");
    public static final Path OPERATIONS = Path.of("docs", "operations.md");

    private OpsDocs() {
    }

    /** The alerts' names, in the rules file's order. */
    public static List<String> alertNames() {
        return all(RULES, Pattern.compile("^\\s*- alert:\\s*(\\S+)\\s*$"));
    }

    /** Each rule's {@code expr} (the file keeps every one on one line). */
    public static List<String> alertExpressions() {
        return all(RULES, Pattern.compile("^\\s*expr:\\s*(.+?)\\s*$"));
    }

    /** The input series of the promtool tests, as selectors ({@code name{label="value",...}}). */
    public static List<String> testSeries() {
        return all(RULE_TESTS, Pattern.compile("^\\s*- series:\\s*'([^']+)'\\s*$"));
    }

    /** Every query of the dashboard's panels. */
    public static List<String> dashboardExpressions() {
        try {
            JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
            List<String> expressions = new ArrayList<>();
            for (JsonNode expr : dashboard.findValues("expr")) {
                expressions.add(expr.asText());
            }
            return expressions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> all(Path file, Pattern line) {
        List<String> found = new ArrayList<>();
        for (String text : read(file).split("\n")) {
            Matcher m = line.matcher(text);
            if (m.matches()) {
                found.add(m.group(1));
            }
        }
        return found;
    }
}

package io.mt5crmhub.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series selectors a PromQL expression names ({@code metric{label="value"}}), enough of PromQL for the hub's
 * alert rules and dashboard: ranges, grouping clauses, function calls and Grafana's {@code $variables} are left out,
 * and only equality matchers are kept (a regex or negative matcher names no value that must exist).
 */
public final class PromQlSelectors {

    /** A metric and the label values an expression asks it for. */
    public record Selector(String metric, Map<String, String> labels) {

        /** The labels as name, value, name, value, ... (for {@link PrometheusText#has}). */
        public String[] labelPairs() {
            List<String> pairs = new ArrayList<>();
            labels.forEach((name, value) -> {
                pairs.add(name);
                pairs.add(value);
            });
            return pairs.toArray(String[]::new);
        }
    }

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+\\}?");
    private static final Pattern NAME = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?(\\s*\\()?");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

    private PromQlSelectors() {
    }

    public static List<Selector> of(String expression) {
        String rest = VARIABLE.matcher(expression).replaceAll("");
        rest = RANGE.matcher(rest).replaceAll("");
        rest = GROUPING.matcher(rest).replaceAll("");
        List<Selector> selectors = new ArrayList<>();
        Matcher m = NAME.matcher(rest);
        while (m.find()) {
            boolean call = m.group(3) != null && m.group(2) == null;
            if (call || KEYWORDS.contains(m.group(1).toLowerCase()) || precededByDigit(rest, m.start())) {
                continue;
            }
            selectors.add(new Selector(m.group(1), matchers(m.group(2))));
        }
        return selectors;
    }

    /** {@code 1e3} or {@code 540}: the letters of a number are not a name. */
    private static boolean precededByDigit(String text, int at) {
        return at > 0 && (Character.isDigit(text.charAt(at - 1)) || text.charAt(at - 1) == '.');
    }

    private static Map<String, String> matchers(String braces) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (braces != null) {
            Matcher m = MATCHER.matcher(braces);
            while (m.find()) {
                if ("=".equals(m.group(2))) {
                    labels.put(m.group(1), m.group(3));
                }
            }
        }
        return labels;
    }
}

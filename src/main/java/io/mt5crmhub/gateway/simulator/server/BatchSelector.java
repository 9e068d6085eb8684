package io.mt5crmhub.gateway.simulator.server;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GroupMask;

/**
 * What a {@code get_batch} request selects: one login list, group mask or ticket list (exactly one of the three),
 * an optional symbol, and for deals by login or group a {@code from}/{@code to} window in server-local seconds.
 */
final class BatchSelector implements Predicate<Mt5Event> {

    Set<Long> logins;
    GroupMask group;
    Set<Long> tickets;
    String symbol;
    long from;
    long to;

    /** The selector of these parameters, or null when they do not make one (then the answer is ERR_PARAMS). */
    static BatchSelector of(Map<String, String> params, boolean windowRequired) {
        BatchSelector s = new BatchSelector();
        int given = 0;
        try {
            if (params.containsKey("login")) {
                s.logins = numbers(params.get("login"));
                given++;
            }
            if (params.containsKey("group")) {
                s.group = GroupMask.parse(params.get("group"));
                given++;
            }
            if (params.containsKey("ticket")) {
                s.tickets = numbers(params.get("ticket"));
                given++;
            }
            if (given != 1) {
                return null;
            }
            if (windowRequired && s.tickets == null) {
                if (!params.containsKey("from") || !params.containsKey("to")) {
                    return null;
                }
                s.from = Long.parseLong(params.get("from"));
                s.to = Long.parseLong(params.get("to"));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        s.symbol = params.get("symbol");
        return s;
    }

    private static Set<Long> numbers(String list) {
        Set<Long> numbers = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                numbers.add(Long.parseLong(part.trim()));
            }
        }
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("empty list");
        }
        return numbers;
    }

    @Override
    public boolean test(Mt5Event event) {
        if (logins != null) {
            return logins.contains(event.login());
        }
        return group == null || group.matches(event.group());
    }

    boolean symbolMatches(String value) {
        return symbol == null || symbol.isEmpty() || symbol.equalsIgnoreCase(value);
    }
}

package io.mt5crmhub.deadletter;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.api.ApiAnswers;
import io.mt5crmhub.api.ApiKeys;
import org.apache.camel.Exchange;

/**
 * The HTTP side of dead-letter operations ({@code /api/v1/dead-letters}, see {@link DeadLetterApiRoutes}): the
 * same list, show and replay as the {@code dead-letters} command, for a hub whose H2 store the command cannot open
 * while it runs. A replay is marked here and performed by {@link DeadLetterReplayer} within its poll interval.
 */
public class DeadLetterApi {

    private static final int MAX_LIMIT = 1000;

    private final ApiKeys keys;
    private final DeadLetters deadLetters;

    public DeadLetterApi(ApiKeys keys, DeadLetters deadLetters) {
        this.keys = keys;
        this.deadLetters = deadLetters;
    }

    /** {@code GET /api/v1/dead-letters?route=&all=true&limit=}: newest first, without the bodies. */
    public void list(Exchange exchange) {
        if (!ApiAnswers.authorised(exchange, keys)) {
            return;
        }
        Optional<String> route = query(exchange, "route");
        boolean all = query(exchange, "all").map(Boolean::parseBoolean).orElse(false);
        Optional<Integer> limit = number(exchange, "limit", 1, MAX_LIMIT);
        if (limit == null) {
            return;
        }
        answer(exchange, () -> {
            List<Map<String, Object>> rows = deadLetters.list(route, all, limit.orElse(100)).stream()
                    .map(d -> summary(d, false)).toList();
            return Map.of("deadLetters", rows, "count", rows.size());
        });
    }

    /** {@code GET /api/v1/dead-letters/{id}}: one, with its event. */
    public void show(Exchange exchange) {
        onOne(exchange, id -> {
            Optional<DeadLetter> found = deadLetters.find(id);
            if (found.isEmpty()) {
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
                return ApiAnswers.error("no dead letter " + id, "id");
            }
            return summary(found.get(), true);
        });
    }

    /** {@code POST /api/v1/dead-letters/{id}/replay}: 202 once marked; 404 when absent or replayed already. */
    public void replay(Exchange exchange) {
        onOne(exchange, id -> {
            if (!deadLetters.requestReplay(id)) {
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
                return ApiAnswers.error("no dead letter " + id + " waiting for a replay", "id");
            }
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
            return summary(deadLetters.find(id).orElseThrow(), false);
        });
    }

    private interface OneAnswer {
        Object get(long id) throws SQLException;
    }

    /** Checks the key and the path id, then answers with what {@code answer} gives for that id. */
    private void onOne(Exchange exchange, OneAnswer answer) {
        if (!ApiAnswers.authorised(exchange, keys)) {
            return;
        }
        Long id = id(exchange);
        if (id != null) {
            answer(exchange, () -> answer.get(id));
        }
    }

    /** {@code POST /api/v1/dead-letters/replay?route=}: marks every dead letter not replayed yet. */
    public void replayAll(Exchange exchange) {
        if (!ApiAnswers.authorised(exchange, keys)) {
            return;
        }
        Optional<String> route = query(exchange, "route");
        answer(exchange, () -> {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
            return Map.of("marked", deadLetters.requestReplayAll(route));
        });
    }

    private interface Answer {
        Object get() throws SQLException;
    }

    private static void answer(Exchange exchange, Answer answer) {
        try {
            Object body = answer.get();
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            ApiAnswers.respond(exchange, status == null ? 200 : status, body);
        } catch (SQLException e) {
            ApiAnswers.respond(exchange, 503, ApiAnswers.error("the hub's store is unavailable", null));
        }
    }

    private static Map<String, Object> summary(DeadLetter d, boolean withBody) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("state", d.state());
        m.put("eventId", d.eventId());
        m.put("routeId", d.routeId());
        m.put("reason", d.reason());
        m.put("failedAt", text(d.failedAt()));
        m.put("replayRequestedAt", text(d.replayRequestedAt()));
        m.put("replayedAt", text(d.replayedAt()));
        m.put("replayError", d.replayError());
        if (withBody) {
            m.put("event", d.body());
        }
        return m;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Optional<String> query(Exchange exchange, String name) {
        return Optional.ofNullable(exchange.getMessage().getHeader(name, String.class)).map(String::trim)
                .filter(v -> !v.isEmpty());
    }

    /** The path id, or null after answering 400. */
    private static Long id(Exchange exchange) {
        String raw = exchange.getMessage().getHeader("id", String.class);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            ApiAnswers.respond(exchange, 400, ApiAnswers.error("id must be a number, was '" + clip(raw) + "'", "id"));
            return null;
        }
    }

    /** An optional number in range, empty when absent, or null after answering 400. */
    private static Optional<Integer> number(Exchange exchange, String name, int min, int max) {
        Optional<String> raw = query(exchange, name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        ApiAnswers.respond(exchange, 400, ApiAnswers.error(name + " must be a number from " + min + " to " + max
                + ", was '" + clip(raw.get()) + "'", name));
        return null;
    }

    private static String clip(String text) {
        return text == null ? "" : text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }
}

package io.mt5crmhub.gateway.simulator.server;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;

/**
 * The Web API commands a logged-in session may send, answered from the simulated books: {@code /api/test/access},
 * {@code /api/time/server}, the {@code get_batch} reads of deals, positions and users, {@code /api/user/get} and
 * {@code /api/trade/balance}. Bad parameters are answered as MT5 does, with {@code 3 Invalid parameters}.
 */
final class WebApiCommands {

    private static final Set<Integer> BALANCE_TYPES = Set.of(2, 3, 4, 5, 6, 7, 15, 16, 17);

    private final TradeServerSimulator simulator;
    private final WebApiAnswers answers;

    WebApiCommands(TradeServerSimulator simulator, WebApiAnswers answers) {
        this.simulator = simulator;
        this.answers = answers;
    }

    /** The answer envelope of {@code path}; an unknown path is {@code ERR_NOTFOUND}. */
    ObjectNode answer(String path, Map<String, String> params) {
        return switch (path) {
            case "/api/test/access" -> WebApiAnswers.envelope("0 Done");
            case "/api/time/server" -> serverTime();
            case "/api/deal/get_batch" -> deals(params);
            case "/api/position/get_batch" -> positions(params);
            case "/api/user/get_batch" -> users(params);
            case "/api/user/get" -> user(params);
            case "/api/trade/balance" -> balance(params);
            default -> WebApiAnswers.refusal(Mt5Retcode.ERR_NOTFOUND);
        };
    }

    private ObjectNode serverTime() {
        ObjectNode envelope = WebApiAnswers.envelope("0 Done");
        ObjectNode time = envelope.putObject("answer");
        // the simulated clock: deal times follow it, also on a pinned timeline far from the wall clock
        long millis = answers.serverMillis(simulator.clock());
        time.put("Time", Long.toString(Math.floorDiv(millis, 1000L)));
        time.put("TimeMsc", Long.toString(millis));
        return envelope;
    }

    private ObjectNode deals(Map<String, String> params) {
        BatchSelector selector = BatchSelector.of(params, true);
        if (selector == null) {
            return WebApiAnswers.refusal(Mt5Retcode.ERR_PARAMS);
        }
        List<Mt5Event> events;
        if (selector.tickets != null) {
            events = simulator.dealsByTicket(selector.tickets);
        } else {
            Instant from = answers.fromServerSeconds(selector.from);
            Instant to = answers.fromServerSeconds(selector.to + 1).minusMillis(1);
            events = from.isAfter(to) ? List.of() : simulator.dealHistory(from, to);
        }
        ArrayNode array = WebApiAnswers.MAPPER.createArrayNode();
        for (Mt5Event event : events) {
            if (selector.test(event) && selector.symbolMatches(event.deal().symbol())) {
                array.add(answers.deal(event));
            }
        }
        return withAnswer(array);
    }

    private ObjectNode positions(Map<String, String> params) {
        BatchSelector selector = BatchSelector.of(params, false);
        if (selector == null) {
            return WebApiAnswers.refusal(Mt5Retcode.ERR_PARAMS);
        }
        ArrayNode array = WebApiAnswers.MAPPER.createArrayNode();
        for (Mt5Event event : simulator.openPositions()) {
            boolean ticketOk = selector.tickets == null || selector.tickets.contains(event.position().ticket());
            boolean filterOk = selector.tickets != null || selector.test(event);
            if (ticketOk && filterOk && selector.symbolMatches(event.position().symbol())) {
                array.add(answers.position(event));
            }
        }
        return withAnswer(array);
    }

    private ObjectNode users(Map<String, String> params) {
        BatchSelector selector = BatchSelector.of(params, false);
        if (selector == null || selector.tickets != null) {
            return WebApiAnswers.refusal(Mt5Retcode.ERR_PARAMS);
        }
        ArrayNode array = WebApiAnswers.MAPPER.createArrayNode();
        for (Mt5Event event : simulator.accounts()) {
            if (selector.test(event)) {
                array.add(answers.user(event));
            }
        }
        return withAnswer(array);
    }

    private ObjectNode user(Map<String, String> params) {
        long login;
        try {
            login = Long.parseLong(params.getOrDefault("login", ""));
        } catch (NumberFormatException e) {
            return WebApiAnswers.refusal(Mt5Retcode.ERR_PARAMS);
        }
        for (Mt5Event event : simulator.accounts()) {
            if (event.login() == login) {
                return withAnswer(answers.user(event));
            }
        }
        return WebApiAnswers.refusal(Mt5Retcode.ERR_NOTFOUND);
    }

    private ObjectNode balance(Map<String, String> params) {
        long login;
        int type;
        BigDecimal amount;
        try {
            login = Long.parseLong(params.getOrDefault("login", ""));
            type = Integer.parseInt(params.getOrDefault("type", ""));
            amount = new BigDecimal(params.getOrDefault("balance", ""));
        } catch (NumberFormatException e) {
            return WebApiAnswers.refusal(Mt5Retcode.ERR_PARAMS);
        }
        if (!BALANCE_TYPES.contains(type)) {
            return WebApiAnswers.refusal(Mt5Retcode.ERR_PARAMS);
        }
        BalanceOrder order = new BalanceOrder(login, DealAction.ofCode(type), amount, params.getOrDefault("comment", ""));
        BalanceResult result;
        try {
            result = simulator.balance(order);
        } catch (GatewayException e) {
            return WebApiAnswers.refusal(e.retcode());
        }
        if (!result.isDone()) {
            return WebApiAnswers.refusal(result.retcode());
        }
        ObjectNode envelope = WebApiAnswers.envelope("0 Done");
        envelope.putObject("answer").put("Ticket", Long.toString(result.dealTicket()));
        return envelope;
    }

    private static ObjectNode withAnswer(JsonNode answer) {
        ObjectNode envelope = WebApiAnswers.envelope("0 Done");
        envelope.set("answer", answer);
        return envelope;
    }
}

package io.mt5crmhub.gateway.simulator.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mt5crmhub.gateway.Mt5Retcode;

/**
 * The simulated server's HTTP side of the Web API: the {@code auth/start} / {@code auth/answer} handshake and its
 * session cookie, HTTP 403 for a request without a live session (as MT5 answers it), flood control per session
 * ({@code --flood-limit} requests a second), and every other request handed to the {@link WebApiCommands}.
 */
final class WebApiHandler implements HttpHandler {

    // logs as the server did before the handler was a class of its own: operators filter on that name
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);
    private static final String VERSION_ACCESS = "3470";

    private final WebApiSessions sessions;
    private final WebApiCommands commands;
    private final int floodLimit;
    private final Map<String, long[]> floodWindows = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    WebApiHandler(WebApiSessions sessions, WebApiCommands commands, int floodLimit) {
        this.sessions = sessions;
        this.commands = commands;
        this.floodLimit = floodLimit;
    }

    long requestCount() {
        return requests.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
            switch (path) {
                case "/api/auth/start" -> authStart(exchange, params);
                case "/api/auth/answer" -> authAnswer(exchange, params);
                default -> {
                    String token = cookie(exchange);
                    if (!sessions.touch(token)) {
                        send(exchange, 403, null);
                        return;
                    }
                    if (flooded(token)) {
                        send(exchange, 200, WebApiAnswers.refusal(Mt5Retcode.ERR_FREQUENT));
                        return;
                    }
                    send(exchange, 200, commands.answer(path, params));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("request {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
            try {
                send(exchange, 200, WebApiAnswers.refusal(Mt5Retcode.ERROR));
            } catch (IOException | RuntimeException ignored) {
                // the client is gone
            }
        }
    }

    private void authStart(HttpExchange exchange, Map<String, String> params) throws IOException {
        long login;
        try {
            login = Long.parseLong(params.getOrDefault("login", ""));
        } catch (NumberFormatException e) {
            send(exchange, 200, WebApiAnswers.refusal(Mt5Retcode.ERR_PARAMS));
            return;
        }
        if (!"manager".equalsIgnoreCase(params.getOrDefault("type", ""))) {
            send(exchange, 200, WebApiAnswers.refusal(Mt5Retcode.ERR_PARAMS));
            return;
        }
        WebApiSessions.Session session = sessions.start(login);
        exchange.getResponseHeaders().add("Set-Cookie", WebApiSessions.COOKIE + "=" + session.token + "; Path=/; HttpOnly");
        ObjectNode answer = WebApiAnswers.envelope("0 Done");
        answer.put("version_access", VERSION_ACCESS);
        answer.put("srv_rand", session.srvRand);
        send(exchange, 200, answer);
    }

    private void authAnswer(HttpExchange exchange, Map<String, String> params) throws IOException {
        String cliRandAnswer = sessions.answer(cookie(exchange), params.get("srv_rand_answer"),
                params.getOrDefault("cli_rand", ""));
        if (cliRandAnswer == null) {
            send(exchange, 403, WebApiAnswers.envelope("3006 Invalid account password"));
            return;
        }
        ObjectNode answer = WebApiAnswers.envelope("0 Done");
        answer.put("version_trade", VERSION_ACCESS);
        answer.put("cli_rand_answer", cliRandAnswer);
        send(exchange, 200, answer);
    }

    /** Per-session requests in the current second; true when over {@code --flood-limit}. */
    private boolean flooded(String token) {
        if (floodLimit <= 0) {
            return false;
        }
        long second = System.nanoTime() / 1_000_000_000L;
        long[] window = floodWindows.computeIfAbsent(token, t -> new long[2]);
        synchronized (window) {
            if (window[0] != second) {
                window[0] = second;
                window[1] = 0;
            }
            return ++window[1] > floodLimit;
        }
    }

    private static String cookie(HttpExchange exchange) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(WebApiSessions.COOKIE + "=")) {
                    return p.substring(WebApiSessions.COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : WebApiAnswers.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}

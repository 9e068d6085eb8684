package io.mt5crmhub.gateway.simulator.server;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.GroupMask;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.simulator.SimulatorSettings;
import io.mt5crmhub.gateway.simulator.TradeServerSimulator;

/**
 * The simulated MT5 trade server as a process of its own, speaking the MT5 Web API:
 * {@code java -jar mt5-crm-hub.jar simulator --port 8443}. It runs the same {@link TradeServerSimulator} books as the
 * in-process gateway, trading on its own clock thread whether or not a hub is connected, and serves
 * <ul>
 * <li>{@code /api/auth/start}, {@code /api/auth/answer}: the documented MD5 handshake, session cookie;</li>
 * <li>{@code /api/test/access}, {@code /api/time/server};</li>
 * <li>{@code /api/deal/get_batch} ({@code group} or {@code login} with {@code from}/{@code to} in server-local
 * seconds, or {@code ticket}), {@code /api/position/get_batch}, {@code /api/user/get_batch}, {@code /api/user/get};</li>
 * <li>{@code /api/trade/balance}.</li>
 * </ul>
 * Requests without a live session get HTTP 403, as MT5 answers them. TLS uses a self-signed certificate kept in
 * the data directory; its SHA-256 fingerprint is printed at start.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);
    private static final String VERSION_ACCESS = "3470";
    private static final Set<Integer> BALANCE_TYPES = Set.of(2, 3, 4, 5, 6, 7, 15, 16, 17);

    private final SimulatorServerOptions options;
    private final TradeServerSimulator simulator;
    private final WebApiAnswers answers;
    private final WebApiSessions sessions;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final Thread clockThread;
    private final String fingerprint;
    private final Map<String, long[]> floodWindows = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean running = true;

    private SimulatorServer(SimulatorServerOptions options) throws IOException, GeneralSecurityException {
        this.options = options;
        this.answers = new WebApiAnswers(options.timezoneMinutes());
        this.sessions = new WebApiSessions(options.managerLogin(), options.managerPassword(), options.sessionTtl(),
                options.sessionIdle(), System::nanoTime);
        SimulatorSettings settings = new SimulatorSettings(options.seed(), options.rate(), options.clients(),
                SimulatorSettings.DEFAULT_MAX_LOGINS_PER_CLIENT, options.dataDir(), options.startTime(), GroupMask.ALL);
        this.simulator = TradeServerSimulator.open(options.serverId(), settings);
        try {
            InetSocketAddress address = new InetSocketAddress(options.bind(), options.port());
            if (options.http()) {
                this.http = HttpServer.create(address, 64);
                this.fingerprint = null;
            } else {
                ServerCertificate certificate = ServerCertificate.loadOrCreate(
                        options.dataDir().resolve("sim-" + options.serverId() + "-tls.p12"));
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
                this.http = https;
                this.fingerprint = certificate.sha256();
                if (options.certificateFile().isPresent()) {
                    write(options.certificateFile().get(), certificate.pem());
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            simulator.close();
            throw e;
        }
        this.handlers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "mt5-webapi-sim-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        this.clockThread = new Thread(this::trade, "mt5-webapi-sim-clock");
        this.clockThread.setDaemon(true);
    }

    /** Starts a server from command-line options (see {@code --help}); for tests and tools. */
    public static SimulatorServer start(String... args) throws IOException, GeneralSecurityException {
        SimulatorServer server = new SimulatorServer(SimulatorServerOptions.parse(args));
        server.http.start();
        if (!server.options.idle()) {
            server.clockThread.start();
        }
        if (server.fingerprint != null && server.options.fingerprintFile().isPresent()) {
            write(server.options.fingerprintFile().get(), server.fingerprint + "\n");
        }
        return server;
    }

    /** The {@code simulator} command: runs until SIGTERM / Ctrl-C; returns the exit code. */
    public static int run(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(SimulatorServerOptions.USAGE);
            return 0;
        }
        SimulatorServer server;
        try {
            server = start(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mt5-crm-hub simulator: " + e.getMessage());
            System.err.println(SimulatorServerOptions.USAGE);
            return 2;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("mt5-crm-hub simulator cannot start: {}", e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "mt5-webapi-sim-stop"));
        LOG.info("MT5 Web API simulator listening on {} (manager login {}, books {}, {})", server.baseUrl(),
                server.options.managerLogin(), server.options.dataDir().resolve("sim-" + server.options.serverId()),
                server.options.idle() ? "idle: not trading" : server.options.rate() + " actions/s");
        if (server.fingerprint != null) {
            LOG.info("Certificate SHA-256 fingerprint (mt5.server.<id>.tls-pinned-sha256): {}", server.fingerprint);
        } else {
            LOG.warn("Plain HTTP (--http): for a lab only; the hub needs mt5.server.<id>.tls=false");
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code host:port} for the hub's {@code address} key. */
    public String address() {
        return options.bind().equals("0.0.0.0") ? "127.0.0.1:" + port() : options.bind() + ":" + port();
    }

    public String baseUrl() {
        return (options.http() ? "http://" : "https://") + address();
    }

    /** The certificate's SHA-256 fingerprint, or empty with {@code --http}. */
    public Optional<String> fingerprint() {
        return Optional.ofNullable(fingerprint);
    }

    /** The books, for tests that compare what the server holds with what a hub received. */
    public TradeServerSimulator simulator() {
        return simulator;
    }

    public long requestCount() {
        return requests.get();
    }

    /** Stops answering, stops trading and closes the books. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        http.stop(0);
        handlers.shutdownNow();
        simulator.wake();
        try {
            clockThread.join(10_000);
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        simulator.close();
        LOG.info("MT5 Web API simulator stopped after {} actions", simulator.actionCount());
    }

    // --- the trade server's own clock -----------------------------------------------------------------------------

    private void trade() {
        long interval = options.rate() > 0 ? (long) (1e9 / options.rate()) : 0;
        long next = System.nanoTime();
        while (running) {
            try {
                simulator.runActions(interval == 0 ? 50 : 1);
                simulator.takeEvents(); // nobody listens in-process: clients read the books through the Web API
            } catch (RuntimeException e) {
                if (!running || !simulator.isOpen()) {
                    return;
                }
                LOG.error("simulated action failed (rolled back, trading goes on): {}", e.getMessage());
            }
            if (interval > 0) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait < -1_000_000_000L) {
                    next = System.nanoTime(); // fell behind by more than a second: do not race to catch up
                } else if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    // --- HTTP ---------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
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
                        send(exchange, 200, WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_FREQUENT)));
                        return;
                    }
                    send(exchange, 200, command(path, params));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("request {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
            try {
                send(exchange, 200, WebApiAnswers.envelope(retcode(Mt5Retcode.ERROR)));
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
            send(exchange, 200, WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_PARAMS)));
            return;
        }
        if (!"manager".equalsIgnoreCase(params.getOrDefault("type", ""))) {
            send(exchange, 200, WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_PARAMS)));
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

    private ObjectNode command(String path, Map<String, String> params) {
        return switch (path) {
            case "/api/test/access" -> WebApiAnswers.envelope("0 Done");
            case "/api/time/server" -> serverTime();
            case "/api/deal/get_batch" -> deals(params);
            case "/api/position/get_batch" -> positions(params);
            case "/api/user/get_batch" -> users(params);
            case "/api/user/get" -> user(params);
            case "/api/trade/balance" -> balance(params);
            default -> WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_NOTFOUND));
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
        Selector selector = Selector.of(params, true);
        if (selector == null) {
            return WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_PARAMS));
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
        Selector selector = Selector.of(params, false);
        if (selector == null) {
            return WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_PARAMS));
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
        Selector selector = Selector.of(params, false);
        if (selector == null || selector.tickets != null) {
            return WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_PARAMS));
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
            return WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_PARAMS));
        }
        for (Mt5Event event : simulator.accounts()) {
            if (event.login() == login) {
                ObjectNode envelope = WebApiAnswers.envelope("0 Done");
                envelope.set("answer", answers.user(event));
                return envelope;
            }
        }
        return WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_NOTFOUND));
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
            return WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_PARAMS));
        }
        if (!BALANCE_TYPES.contains(type)) {
            return WebApiAnswers.envelope(retcode(Mt5Retcode.ERR_PARAMS));
        }
        BalanceOrder order = new BalanceOrder(login, DealAction.ofCode(type), amount, params.getOrDefault("comment", ""));
        BalanceResult result;
        try {
            result = simulator.balance(order);
        } catch (GatewayException e) {
            return WebApiAnswers.envelope(retcode(e.retcode()));
        }
        if (!result.isDone()) {
            return WebApiAnswers.envelope(retcode(result.retcode()));
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

    private static String retcode(int code) {
        return code + " " + Mt5Retcode.describe(code);
    }

    /** One login, group mask or ticket list, as {@code get_batch} takes them (exactly one of the three). */
    private static final class Selector implements Predicate<Mt5Event> {
        Set<Long> logins;
        GroupMask group;
        Set<Long> tickets;
        String symbol;
        long from;
        long to;

        static Selector of(Map<String, String> params, boolean windowRequired) {
            Selector s = new Selector();
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

    /** Per-session requests in the current second; true when over {@code --flood-limit}. */
    private boolean flooded(String token) {
        if (options.floodLimit() <= 0) {
            return false;
        }
        long second = System.nanoTime() / 1_000_000_000L;
        long[] window = floodWindows.computeIfAbsent(token, t -> new long[2]);
        synchronized (window) {
            if (window[0] != second) {
                window[0] = second;
                window[1] = 0;
            }
            return ++window[1] > options.floodLimit();
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

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}

package io.mt5crmhub.gateway.simulator.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mt5crmhub.gateway.GroupMask;
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
 * Requests without a live session get HTTP 403, as MT5 answers them ({@link WebApiHandler}; the commands are
 * {@link WebApiCommands}). TLS uses a self-signed certificate kept in the data directory; its SHA-256 fingerprint is
 * printed at start.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);

    private final SimulatorServerOptions options;
    private final TradeServerSimulator simulator;
    private final WebApiHandler handler;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final TradingClock clock;
    private final String fingerprint;
    private volatile boolean running = true;

    private SimulatorServer(SimulatorServerOptions options) throws IOException, GeneralSecurityException {
        this.options = options;
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
        WebApiSessions sessions = new WebApiSessions(options.managerLogin(), options.managerPassword(),
                options.sessionTtl(), options.sessionIdle(), System::nanoTime);
        this.handler = new WebApiHandler(sessions,
                new WebApiCommands(simulator, new WebApiAnswers(options.timezoneMinutes())), options.floodLimit());
        http.setExecutor(handlers);
        http.createContext("/", handler);
        this.clock = new TradingClock(simulator, options.rate());
    }

    /** Starts a server from command-line options (see {@code --help}); for tests and tools. */
    public static SimulatorServer start(String... args) throws IOException, GeneralSecurityException {
        return start(SimulatorServerOptions.parse(args));
    }

    private static SimulatorServer start(SimulatorServerOptions options) throws IOException, GeneralSecurityException {
        SimulatorServer server = new SimulatorServer(options);
        server.http.start();
        if (!server.options.idle()) {
            server.clock.start();
        }
        if (server.fingerprint != null && server.options.fingerprintFile().isPresent()) {
            write(server.options.fingerprintFile().get(), server.fingerprint + "\n");
        }
        return server;
    }

    /** The {@code simulator} command: runs until SIGTERM / Ctrl-C; returns the exit code. */
    public static int run(SimulatorServerOptions options) {
        SimulatorServer server;
        try {
            server = start(options);
        } catch (IllegalArgumentException e) {
            System.err.println("mt5-crm-hub simulator: " + e.getMessage());
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
        return handler.requestCount();
    }

    /** Stops answering, stops trading and closes the books. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        clock.stop();
        http.stop(0);
        handlers.shutdownNow();
        try {
            clock.join(10_000);
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        simulator.close();
        LOG.info("MT5 Web API simulator stopped after {} actions", simulator.actionCount());
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

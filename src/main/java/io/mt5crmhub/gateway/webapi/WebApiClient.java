package io.mt5crmhub.gateway.webapi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestTimer;

/**
 * One manager session on an MT5 Web API access point: the authentication handshake, the session cookie, and
 * every request after it. Requests go one at a time over one kept-alive HTTP/1.1 connection (as MT5's own
 * samples do) and are spaced by the {@link RequestPacer}. A request answered with HTTP 403 (the session expired)
 * logs in again and is sent once more; a second 403 is an {@link WebApiException.Kind#AUTH_REFUSED}.
 * <p>
 * The password is kept only as its MT5 hash and is never logged.
 */
public final class WebApiClient {

    private static final Logger LOG = LoggerFactory.getLogger(WebApiClient.class);
    /** The Web API protocol build this client speaks, sent as {@code version} in {@code auth/start}. */
    static final String PROTOCOL_VERSION = "3470";
    static final String AGENT = "mt5-crm-hub";

    private final WebApiSettings settings;
    private final byte[] passwordHash;
    private final Supplier<String> cliRands;
    private final HttpClient http;
    private final RequestPacer pacer;
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile boolean loggedIn;
    private volatile long lastRequestNanos = System.nanoTime();
    private volatile RequestTimer timer = RequestTimer.NONE;
    private long logins;

    public WebApiClient(WebApiSettings settings) {
        this(settings, WebApiAuth::randomHex);
    }

    /** With a fixed {@code cli_rand} source, so tests can answer the handshake from a worked example. */
    WebApiClient(WebApiSettings settings, Supplier<String> cliRands) {
        this.settings = settings;
        this.cliRands = cliRands;
        this.passwordHash = WebApiAuth.passwordHash(settings.password());
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
        if (settings.tls()) {
            builder.sslContext(WebApiTls.context(settings));
        }
        this.http = builder.build();
        this.pacer = new RequestPacer(settings.maxRequestsPerSecond(), System::nanoTime);
    }

    /** Where each request's time goes, from the request's sending to its answer (the pacer's wait not counted). */
    public void timeRequests(RequestTimer timer) {
        this.timer = timer;
    }

    public WebApiSettings settings() {
        return settings;
    }

    public boolean isLoggedIn() {
        return loggedIn;
    }

    /** How many successful logins this client has made (the first one and every renewal). */
    public long logins() {
        lock.lock();
        try {
            return logins;
        } finally {
            lock.unlock();
        }
    }

    /** Time since the last request was sent, for the keep-alive ping. */
    public Duration idle() {
        return Duration.ofNanos(System.nanoTime() - lastRequestNanos);
    }

    /**
     * The handshake: {@code auth/start} gives {@code srv_rand}; {@code auth/answer} takes our answer and our own
     * {@code cli_rand}, and the server's {@code cli_rand_answer} proves it knows the password too.
     */
    public void login() throws WebApiException, InterruptedException {
        lock.lock();
        try {
            doLogin();
        } finally {
            lock.unlock();
        }
    }

    private void doLogin() throws WebApiException, InterruptedException {
        loggedIn = false;
        Map<String, String> start = new LinkedHashMap<>();
        start.put("version", PROTOCOL_VERSION);
        start.put("agent", AGENT);
        start.put("login", Long.toString(settings.login()));
        start.put("type", "manager");
        WebApiJson.Envelope started = authStep("/api/auth/start", start);
        String srvRand = WebApiValues.field(started.root(), "srv_rand").asText("");
        if (srvRand.isEmpty()) {
            throw WebApiException.protocol("MT5 server " + settings.address() + " sent no srv_rand in auth/start");
        }
        String cliRand = cliRands.get();
        Map<String, String> answer = new LinkedHashMap<>();
        try {
            answer.put("srv_rand_answer", WebApiAuth.answer(passwordHash, srvRand));
        } catch (IllegalArgumentException e) {
            throw WebApiException.protocol("MT5 server " + settings.address() + " sent a srv_rand that is not hex");
        }
        answer.put("cli_rand", cliRand);
        WebApiJson.Envelope answered = authStep("/api/auth/answer", answer);
        String cliRandAnswer = WebApiValues.field(answered.root(), "cli_rand_answer").asText("");
        if (!WebApiAuth.verify(passwordHash, cliRand, cliRandAnswer)) {
            throw new WebApiException(WebApiException.Kind.AUTH_REFUSED, Mt5Retcode.ERR_PERMISSIONS, "the server at "
                    + settings.address() + " accepted the login of manager " + settings.login()
                    + " but did not prove it knows the password (wrong cli_rand_answer): is it the MT5 server you"
                    + " configured?");
        }
        loggedIn = true;
        logins++;
        LOG.debug("Logged in to MT5 server {} as manager {}", settings.address(), settings.login());
    }

    private WebApiJson.Envelope authStep(String path, Map<String, String> params)
            throws WebApiException, InterruptedException {
        HttpResponse<String> response = send(path, params, false);
        if (response.statusCode() == 403 || response.statusCode() == 401) {
            throw refusedLogin(retcodeOf(response.body()).map(Object::toString)
                    .orElse("HTTP " + response.statusCode() + describeBody(response.body())));
        }
        if (response.statusCode() != 200) {
            throw httpFailure(path, response);
        }
        WebApiJson.Envelope envelope = WebApiJson.envelope(response.body());
        if (!envelope.retcode().isOk()) {
            if (envelope.retcode().code() == Mt5Retcode.ERR_FREQUENT) {
                throw flood(path, envelope.retcode());
            }
            throw refusedLogin(envelope.retcode().toString());
        }
        return envelope;
    }

    private static java.util.Optional<WebApiJson.Retcode> retcodeOf(String body) {
        try {
            return java.util.Optional.of(WebApiJson.envelope(body).retcode());
        } catch (WebApiException e) {
            return java.util.Optional.empty();
        }
    }

    private WebApiException refusedLogin(String why) {
        return new WebApiException(WebApiException.Kind.AUTH_REFUSED, Mt5Retcode.ERR_PERMISSIONS, "MT5 server "
                + settings.address() + " refused the login of manager " + settings.login() + " (" + why + ")");
    }

    /** The keep-alive ping: {@code /api/test/access}. */
    public void ping() throws WebApiException, InterruptedException {
        get("/api/test/access", Map.of());
    }

    /**
     * Sends a command and returns its envelope when the retcode is OK. Logs in first when there is no session,
     * and once more after a 403.
     *
     * @throws WebApiException REFUSED with MT5's retcode, FLOOD on flood control, UNREACHABLE / TIMEOUT when no
     *                         answer came, AUTH_REFUSED when the login fails
     */
    public WebApiJson.Envelope get(String path, Map<String, String> params) throws WebApiException, InterruptedException {
        return call(path, params, false);
    }

    /**
     * Sends a command that changes the server's state (a balance operation) as a POST, the parameters in the query
     * as for {@link #get}. Not a GET: the JDK's HTTP client silently sends a GET again when a kept-alive connection
     * closes before the answer, which for {@code /api/trade/balance} is a second deposit; it never repeats a POST.
     * Logs in first when there is no session, and sends once more only after a 403 (the command did not run).
     */
    public WebApiJson.Envelope command(String path, Map<String, String> params)
            throws WebApiException, InterruptedException {
        return call(path, params, true);
    }

    private WebApiJson.Envelope call(String path, Map<String, String> params, boolean post)
            throws WebApiException, InterruptedException {
        lock.lock();
        try {
            if (!loggedIn) {
                loginBefore(path);
            }
            HttpResponse<String> response = send(path, params, post);
            if (response.statusCode() == 403) {
                LOG.info("MT5 server {} answered 403 to {}: the session expired, logging in again", settings.address(),
                        path);
                loginBefore(path); // the 403 means the request did not run
                response = send(path, params, post);
                if (response.statusCode() == 403) {
                    loggedIn = false;
                    throw new WebApiException(WebApiException.Kind.AUTH_REFUSED, Mt5Retcode.ERR_PERMISSIONS,
                            "MT5 server " + settings.address() + " answered 403 to " + path + " right after a fresh"
                                    + " login: manager " + settings.login() + " may lack the right for it")
                            .beforeTheRequest();
                }
            }
            if (response.statusCode() == 429) {
                throw flood(path, new WebApiJson.Retcode(Mt5Retcode.ERR_FREQUENT, "HTTP 429"));
            }
            if (response.statusCode() != 200) {
                throw httpFailure(path, response);
            }
            WebApiJson.Envelope envelope = WebApiJson.envelope(response.body());
            if (envelope.retcode().isOk()) {
                return envelope;
            }
            if (envelope.retcode().code() == Mt5Retcode.ERR_FREQUENT) {
                throw flood(path, envelope.retcode());
            }
            throw new WebApiException(WebApiException.Kind.REFUSED, envelope.retcode().code(), "MT5 server "
                    + settings.address() + " answered " + envelope.retcode() + " to " + path);
        } finally {
            lock.unlock();
        }
    }

    /** Logs in ahead of a request: whatever fails here, the request itself was not sent. */
    private void loginBefore(String path) throws WebApiException, InterruptedException {
        try {
            doLogin();
        } catch (WebApiException e) {
            throw e.beforeTheRequest();
        }
    }

    private WebApiException flood(String path, WebApiJson.Retcode retcode) {
        return new WebApiException(WebApiException.Kind.FLOOD, Mt5Retcode.ERR_FREQUENT, "MT5 server "
                + settings.address() + " applied flood control to " + path + " (" + retcode + ")");
    }

    private WebApiException httpFailure(String path, HttpResponse<String> response) {
        WebApiException.Kind kind = response.statusCode() >= 500 ? WebApiException.Kind.UNREACHABLE
                : WebApiException.Kind.PROTOCOL;
        return new WebApiException(kind, Mt5Retcode.ERR_CONNECTION, "MT5 server " + settings.address() + " answered HTTP "
                + response.statusCode() + " to " + path + describeBody(response.body()));
    }

    private static String describeBody(String body) {
        return body == null || body.isBlank() ? "" : ": " + WebApiValues.abbreviate(body);
    }

    private HttpResponse<String> send(String path, Map<String, String> params, boolean post)
            throws WebApiException, InterruptedException {
        pacer.acquire();
        URI uri = URI.create(settings.baseUrl() + path + query(params));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("Accept", "application/json");
        HttpRequest request = (post ? builder.POST(HttpRequest.BodyPublishers.noBody()) : builder.GET()).build();
        long sentAt = System.nanoTime();
        lastRequestNanos = sentAt;
        boolean answered = false;
        try {
            HttpResponse<String> response = whole(http.sendAsync(request,
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            answered = true;
            return response;
        } catch (HttpConnectTimeoutException e) {
            throw new WebApiException(WebApiException.Kind.UNREACHABLE, Mt5Retcode.ERR_NETWORK, "MT5 server "
                    + settings.address() + " did not accept a connection for " + path + " within "
                    + settings.connectTimeout(), e).beforeTheRequest();
        } catch (HttpTimeoutException e) {
            throw new WebApiException(WebApiException.Kind.TIMEOUT, Mt5Retcode.ERR_TIMEOUT, "MT5 server "
                    + settings.address() + " did not answer " + path + " within " + settings.requestTimeout(), e);
        } catch (SSLHandshakeException e) {
            throw (isCertificateProblem(e) ? untrusted(e) : unreachable(path, e)).beforeTheRequest();
        } catch (SSLException e) {
            if (isCertificateProblem(e)) {
                throw untrusted(e);
            }
            throw unreachable(path, e);
        } catch (IOException e) {
            if (isCertificateProblem(e)) {
                throw untrusted(e);
            }
            throw unreachable(path, e);
        } finally {
            timer.record(path, answered, System.nanoTime() - sentAt);
        }
    }

    /**
     * The answer with its whole body within the request timeout. The JDK client's own timeout ends when the answer's
     * headers arrive: a server that hangs in the middle of a body would be waited for forever, and with it the poll
     * thread, the back-fills and the balance calls. The exchange is cancelled when the time is up or the caller is
     * interrupted; the client's own failures come through as they are.
     */
    private HttpResponse<String> whole(CompletableFuture<HttpResponse<String>> answer)
            throws IOException, InterruptedException {
        try {
            return answer.get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + settings.requestTimeout());
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
    }

    private WebApiException unreachable(String path, IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
        WebApiException failure = new WebApiException(WebApiException.Kind.UNREACHABLE, Mt5Retcode.ERR_NETWORK,
                "MT5 server " + settings.address() + " cannot be reached (" + path + ": " + why + ")", e);
        // the JDK client throws ConnectException only when opening a connection failed, never once a request
        // was written on one
        return e instanceof ConnectException ? failure.beforeTheRequest() : failure;
    }

    private WebApiException untrusted(IOException e) {
        String prefix = "mt5.server." + settings.serverId() + ".";
        String how = settings.pinnedSha256().isPresent()
                ? "the certificate does not match " + prefix + "tls-pinned-sha256"
                : settings.trustStore().isPresent()
                        ? "the certificate is not trusted by " + prefix + "tls-trust-store (or does not name host "
                                + settings.address() + ")"
                        : "the certificate is not signed by a CA the JDK trusts; for a self-signed server set "
                                + prefix + "tls-pinned-sha256 to its SHA-256 fingerprint, or " + prefix
                                + "tls-trust-store to a trust store holding it";
        return new WebApiException(WebApiException.Kind.TLS_UNTRUSTED, Mt5Retcode.ERR_CONNECTION, "MT5 server "
                + settings.address() + ": TLS handshake failed, " + how + " (" + rootMessage(e) + ")", e);
    }

    /**
     * A certificate refused, or a handshake that failed otherwise; not a server that went away mid-handshake (reset,
     * end of stream: a killed or restarting MT5), which fails the handshake too.
     */
    private static boolean isCertificateProblem(Throwable e) {
        boolean handshakeFailed = false;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
            if (t instanceof java.net.SocketException || t instanceof java.io.EOFException
                    || (t instanceof SSLHandshakeException && t.getMessage() != null
                            && t.getMessage().contains("terminated the handshake"))) {
                return false;
            }
            handshakeFailed |= t instanceof SSLHandshakeException;
        }
        return handshakeFailed;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    static String query(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        StringBuilder q = new StringBuilder("?");
        params.forEach((k, v) -> {
            if (q.length() > 1) {
                q.append('&');
            }
            q.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return q.toString();
    }

    /** Drops the session; the next request logs in again. */
    public void forgetSession() {
        loggedIn = false;
    }
}

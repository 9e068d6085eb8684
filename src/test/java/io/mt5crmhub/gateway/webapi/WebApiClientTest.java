package io.mt5crmhub.gateway.webapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A request to MT5 ends within the request timeout, whatever part of the answer the server hangs in. */
class WebApiClientTest {

    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stop() {
        released.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aServerThatHangsInTheMiddleOfABodyIsATimeout() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 1_000);
            OutputStream body = exchange.getResponseBody();
            body.write("{\"retcode\":\"0 Done\",".getBytes(StandardCharsets.UTF_8));
            body.flush();
            try {
                released.await(); // the rest never comes while the test runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        WebApiClient client = new WebApiClient(WebApiTestSettings.of(Map.of(
                "address", "127.0.0.1:" + server.getAddress().getPort(), "login", "1000", "password", "x",
                "tls", "false", "request-timeout", "1s")));

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(client::login)
                .isInstanceOfSatisfying(WebApiException.class, e -> {
                    assertThat(e.getMessage()).contains("did not answer /api/auth/start within PT1S");
                    assertThat(e.kind()).isEqualTo(WebApiException.Kind.TIMEOUT);
                }));
    }
}

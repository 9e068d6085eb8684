package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mt5crmhub.testsupport.HeadlessChromium;
import io.mt5crmhub.testsupport.HubProcess;
import io.mt5crmhub.testsupport.TcpProxy;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real browser (Debian's headless chromium) against the jar with the simulator and RabbitMQ:
 * it shows the server connected and the figures /observe/metrics shows; once the broker cannot be reached it shows
 * the RabbitMQ sinks DOWN. The broker is cut off through a relay rather than stopped: other work on this machine
 * shares it. Screenshots go to target/status-page*.png.
 */
class StatusPageIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void showsTheServerConnectedTheFiguresOfTheMetricsAndASinkDown() throws Exception {
        Path dir = HubProcess.prepareWorkDir("status-page");
        int port = freePort();
        String page = "http://127.0.0.1:" + port + "/";
        try (TcpProxy rabbit = new TcpProxy(5672); HubProcess hub = new HubProcess(dir, port)) {
            hub.env("HUB_RABBITMQ_URI", "amqp://guest:guest@" + rabbit.address() + "/")
                    .env("MT5_SERVER_SIM_RATE", "5")
                    .start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(hub::isHealthUp);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> hub.metricSum("mt5_consumer_delivered_events_total", "routeId=\"rabbitmq-deals\"") > 0);

            // every status sampled from now on counts at least what the metrics count now
            double deliveredBefore = hub.metricSum("mt5_consumer_delivered_events_total", "routeId=\"rabbitmq-deals\"");
            Instant metricsReadAt = Instant.now();
            await().atMost(Duration.ofSeconds(10)).until(() -> sampledAt(port).isAfter(metricsReadAt));
            String dom = HeadlessChromium.dumpDom(page);
            double deliveredAfter = hub.metricSum("mt5_consumer_delivered_events_total", "routeId=\"rabbitmq-deals\"");
            HeadlessChromium.screenshot(page, Path.of("target", "status-page.png"));

            assertThat(row(dom, "data-server=\"sim\"")).contains("class=\"yes connected\">yes<")
                    .contains(">simulator<");
            assertThat(hub.metricSum("mt5_server_connected", "server=\"sim\"")).isEqualTo(1);
            String rabbitDeals = row(dom, "data-route=\"rabbitmq-deals\"");
            assertThat(rabbitDeals).contains("class=\"up state\">UP<");
            assertThat(number(rabbitDeals, "num delivered")).isBetween(deliveredBefore, deliveredAfter);
            assertThat(number(rabbitDeals, "num dead-lettered")).isEqualTo(
                    hub.metricSum("mt5_consumer_dead_lettered_events_total", "routeId=\"rabbitmq-deals\""));
            assertThat(number(row(dom, "data-state=\"DEAD\""), "num")).isEqualTo(
                    hub.metricSum("hub_dead_letters", "state=\"DEAD\""));
            assertThat(dom).contains("<canvas");

            rabbit.blackHole();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> row(HeadlessChromium.dumpDom(page), "data-route=\"rabbitmq-deals\"")
                            .contains("class=\"down state\">DOWN<"));
            HeadlessChromium.screenshot(page, Path.of("target", "status-page-rabbitmq-down.png"));
            String down = HeadlessChromium.dumpDom(page);
            assertThat(row(down, "data-route=\"crm-store-deals\"")).contains("class=\"up state\">UP<");
            assertThat(down).contains("RabbitMQ is not connected");
        }
    }

    /** The table row whose opening tag holds {@code attribute}, up to its end. */
    private static String row(String dom, String attribute) {
        int start = dom.indexOf("<tr " + attribute);
        if (start < 0) {
            start = dom.indexOf(attribute);
            start = start < 0 ? -1 : dom.lastIndexOf("<tr", start);
        }
        if (start < 0) {
            return "";
        }
        return dom.substring(start, dom.indexOf("</tr>", start));
    }

    private static double number(String row, String cellClass) {
        Matcher m = Pattern.compile("class=\"" + cellClass + "[^\"]*\">([0-9.]+)<").matcher(row);
        if (!m.find()) {
            throw new AssertionError("no cell " + cellClass + " in " + row);
        }
        return Double.parseDouble(m.group(1));
    }

    private static Instant sampledAt(int port) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Instant.parse(JSON.readTree(body).path("sampledAt").asText());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

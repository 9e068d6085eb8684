package io.mt5crmhub.gateway.webapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.simulator.server.SimulatorServer;
import io.mt5crmhub.testsupport.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webapi gateway against the simulator server in this JVM (HTTPS, the pinned self-signed certificate): the
 * live deal stream matches the server's books ticket for ticket, sessions that expire are renewed without loss or
 * duplicates, a server that goes away and comes back on the same books is polled again from the last deal seen.
 */
class WebApiGatewayTest {

    private static final String START = "2026-01-05T00:00:00Z";

    @TempDir
    Path dataDir;

    private SimulatorServer server;
    private WebApiGateway gateway;

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.disconnect();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void liveDealsMatchTheServersBooksTicketForTicket() throws Exception {
        server = startServer("--rate", "100");
        gateway = new WebApiGateway(settings(server, "poll-interval", "200ms", "snapshot-interval", "500ms"));
        RecordingListener recorder = new RecordingListener();
        Instant connectedAt = Instant.now();
        gateway.connect(recorder);

        awaitAllDealsSince(recorder, connectedAt, 150);

        assertThat(recorder.dealTickets()).doesNotHaveDuplicates();
        assertThat(recorder.calls()).startsWith("connected");
        Mt5Event anyDeal = recorder.events(EntityType.DEAL).get(0);
        assertThat(anyDeal.eventId()).isEqualTo("live1:deal:" + anyDeal.deal().ticket() + ":added");
        assertThat(anyDeal.group()).isNotNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> !recorder.events(EntityType.POSITION).isEmpty()
                && !recorder.events(EntityType.ACCOUNT).isEmpty());
    }

    @Test
    void reportsHowLongEachRequestToTheServerTook() throws Exception {
        server = startServer("--rate", "50");
        gateway = new WebApiGateway(settings(server, "poll-interval", "200ms"));
        List<String> timed = new CopyOnWriteArrayList<>();
        gateway.timeRequests((operation, answered, nanos) -> {
            if (answered && nanos > 0) {
                timed.add(operation);
            }
        });
        gateway.connect(new RecordingListener());

        await().atMost(Duration.ofSeconds(20)).until(() -> timed.stream().anyMatch(op -> op.startsWith("/api/deal/")));
        assertThat(timed).contains("/api/auth/start").allSatisfy(op -> assertThat(op).doesNotContain("?"));
    }

    @Test
    void historySnapshotsAndTheLiveStreamAgreeWithTheBooks() throws Exception {
        server = startServer("--rate", "300", "--start-time", START, "--clients", "20");
        await().atMost(Duration.ofSeconds(20)).until(() -> server.simulator().actionCount() > 600);
        gateway = new WebApiGateway(settings(server, "timezone-minutes", "0"));
        gateway.connect(new RecordingListener());

        Instant from = Instant.parse(START).minus(Duration.ofDays(1));
        Instant to = Instant.parse(START).plus(Duration.ofDays(1));
        List<Mt5Event> viaApi = gateway.dealHistory(from, to);
        List<Mt5Event> books = server.simulator().dealHistory(from, to);
        // the server keeps trading: every deal the books had when the answer was made is in it, equal field by field
        Map<Long, Mt5Event> byTicket = viaApi.stream().collect(Collectors.toMap(e -> e.deal().ticket(), e -> e));
        assertThat(viaApi).hasSizeGreaterThan(500);
        for (Mt5Event expected : books.subList(0, Math.min(books.size(), viaApi.size()))) {
            Mt5Event actual = byTicket.get(expected.deal().ticket());
            assertThat(actual).as("deal %d", expected.deal().ticket()).isNotNull();
            assertThat(actual.eventId()).isEqualTo(expected.eventId().replace("webapi:", "live1:"));
            assertThat(actual.occurredAt()).isEqualTo(expected.occurredAt());
            assertThat(actual.login()).isEqualTo(expected.login());
            assertThat(actual.group()).isEqualTo(expected.group());
            assertThat(actual.deal().action()).isEqualTo(expected.deal().action());
            assertThat(actual.deal().profit()).isEqualByComparingTo(expected.deal().profit());
            assertThat(actual.deal().volume()).isEqualByComparingTo(expected.deal().volume());
            assertThat(actual.deal().price()).isEqualByComparingTo(expected.deal().price());
            assertThat(actual.deal().comment()).isEqualTo(expected.deal().comment());
        }
        assertThat(viaApi).isSortedAccordingTo((a, b) -> a.occurredAt().compareTo(b.occurredAt()));

        assertThat(gateway.openPositions()).isNotEmpty().allSatisfy(e -> assertThat(e.group()).isNotNull());
        List<Mt5Event> accounts = gateway.accounts();
        assertThat(accounts).isNotEmpty();
        assertThat(gateway.accounts()).as("the same content keeps its version and event id")
                .extracting(Mt5Event::eventId).containsAnyElementsOf(accounts.stream().map(Mt5Event::eventId).toList());
    }

    @Test
    void serverTimeZoneIsTurnedIntoUtc() throws Exception {
        server = startServer("--rate", "300", "--start-time", START, "--timezone-minutes", "120");
        await().atMost(Duration.ofSeconds(20)).until(() -> server.simulator().actionCount() > 300);
        gateway = new WebApiGateway(settings(server, "timezone-minutes", "120"));
        gateway.connect(new RecordingListener());
        Instant from = Instant.parse(START).minus(Duration.ofDays(1));
        Instant to = Instant.parse(START).plus(Duration.ofDays(1));

        List<Mt5Event> viaApi = gateway.dealHistory(from, to);
        List<Mt5Event> books = server.simulator().dealHistory(from, to);

        assertThat(viaApi).isNotEmpty();
        assertThat(viaApi.get(0).occurredAt()).isEqualTo(books.get(0).occurredAt());
        // a window boundary given in UTC is the same boundary on the server's local clock
        Instant cut = books.get(books.size() / 2).occurredAt();
        List<Mt5Event> fromCut = gateway.dealHistory(cut, to);
        assertThat(fromCut).allSatisfy(e -> assertThat(e.occurredAt()).isAfterOrEqualTo(cut));
        assertThat(fromCut.get(0).deal().ticket())
                .isEqualTo(server.simulator().dealHistory(cut, to).get(0).deal().ticket());
    }

    @Test
    void expiredSessionsAreRenewedWithoutLosingOrDoublingDeals() throws Exception {
        server = startServer("--rate", "100", "--session-ttl", "1s");
        gateway = new WebApiGateway(settings(server, "poll-interval", "100ms"));
        RecordingListener recorder = new RecordingListener();
        Instant connectedAt = Instant.now();
        gateway.connect(recorder);

        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.client().logins() >= 4);
        awaitAllDealsSince(recorder, connectedAt, 100);

        assertThat(recorder.dealTickets()).doesNotHaveDuplicates();
        assertThat(recorder.calls()).containsExactly("connected");
    }

    @Test
    void aServerThatGoesAwayIsPolledAgainFromTheLastDealWhenItComesBack() throws Exception {
        server = startServer("--rate", "100");
        int port = server.port();
        gateway = new WebApiGateway(settings(server, "poll-interval", "100ms"));
        RecordingListener recorder = new RecordingListener();
        Instant connectedAt = Instant.now();
        gateway.connect(recorder);
        awaitAllDealsSince(recorder, connectedAt, 50);

        server.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.isConnected());
        assertThat(recorder.calls()).anySatisfy(c -> assertThat(c).startsWith("disconnected: MT5 server"));
        server = startServer("--rate", "100", "--port", Integer.toString(port)); // same books, keeps trading

        await().atMost(Duration.ofSeconds(40)).until(gateway::isConnected);
        awaitAllDealsSince(recorder, connectedAt, 0);

        assertThat(recorder.dealTickets()).doesNotHaveDuplicates();
        assertThat(recorder.calls()).hasSize(3);
        assertThat(recorder.calls().get(0)).isEqualTo("connected");
        assertThat(recorder.calls().get(1)).startsWith("disconnected: MT5 server " + server.address()
                + " cannot be reached");
        assertThat(recorder.calls().get(2)).isEqualTo("connected");
    }

    @Test
    void balanceOperationsReturnTheDealTicketOrMt5sRefusal() throws Exception {
        server = startServer("--rate", "1", "--start-time", START, "--clients", "5");
        gateway = new WebApiGateway(settings(server));
        gateway.connect(new RecordingListener());
        long login = gateway.accounts().get(0).login();

        BalanceResult deposit = gateway.balance(new BalanceOrder(login, DealAction.BALANCE, new BigDecimal("250.00"),
                "crm:TX-1"));
        BalanceResult tooMuch = gateway.balance(new BalanceOrder(login, DealAction.BALANCE,
                new BigDecimal("-99999999"), "crm:TX-2"));
        BalanceResult longComment = gateway.balance(new BalanceOrder(login, DealAction.BALANCE, BigDecimal.ONE,
                "x".repeat(33)));

        assertThat(deposit.isDone()).isTrue();
        assertThat(deposit.dealTicket()).isPositive();
        assertThat(tooMuch.retcode()).isEqualTo(Mt5Retcode.REQUEST_NO_MONEY);
        assertThat(longComment.retcode()).isEqualTo(Mt5Retcode.ERR_PARAMS);
        List<Mt5Event> found = gateway.findDeals(login, "crm:TX-1", Instant.parse(START).minusSeconds(60));
        assertThat(found).singleElement().satisfies(e -> {
            assertThat(e.deal().ticket()).isEqualTo(deposit.dealTicket());
            assertThat(e.deal().profit()).isEqualByComparingTo("250");
            assertThat(e.deal().action()).isEqualTo(DealAction.BALANCE);
        });
        assertThat(gateway.findDeals(login, "crm:TX-2", Instant.parse(START).minusSeconds(60))).isEmpty();
    }

    @Test
    void aWrongPasswordFailsTheConnectNamingThePasswordKey() throws Exception {
        server = startServer("--rate", "1");
        gateway = new WebApiGateway(settings(server, "password", "wrong"));

        assertThatThrownBy(() -> gateway.connect(new RecordingListener()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("mt5.server.live1.password: MT5 server " + server.address()
                        + " refused the login of manager 1000 (")
                .hasMessageContaining("3006")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void aServerUnreachableAtStartNamesTheAddressKey() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        gateway = new WebApiGateway(WebApiTestSettings.of(Map.of("address", "127.0.0.1:" + closedPort, "login", "1000",
                "password", "x", "connect-timeout", "2s")));

        assertThatThrownBy(() -> gateway.connect(new RecordingListener())).isInstanceOf(ConfigurationException.class)
                .hasMessage("mt5.server.live1.address: MT5 server 127.0.0.1:" + closedPort
                        + " cannot be reached (/api/auth/start: connection refused)");
        assertThat(gateway.isConnected()).isFalse();
    }

    /** A server going away mid-handshake (as a killed MT5 does) is unreachable, not a certificate that mismatches. */
    @Test
    void aServerClosingTheConnectionDuringTheHandshakeIsUnreachableNotUntrusted() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            Thread closer = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket accepted = socket.accept()) {
                        accepted.getInputStream().read(); // the ClientHello's first byte, then gone
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            closer.start();
            gateway = new WebApiGateway(WebApiTestSettings.of(Map.of("address", "127.0.0.1:" + socket.getLocalPort(),
                    "login", "1000", "password", "x", "connect-timeout", "2s", "tls-pinned-sha256", "ab".repeat(32))));

            assertThatThrownBy(() -> gateway.connect(new RecordingListener())).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("cannot be reached").hasMessageNotContaining("certificate");
        }
    }

    @Test
    void aSelfSignedServerIsRefusedWithoutAPinAndTheMessageSaysWhichKeyToSet() throws Exception {
        server = startServer("--rate", "1");
        gateway = new WebApiGateway(settings(server, "tls-pinned-sha256", null));

        assertThatThrownBy(() -> gateway.connect(new RecordingListener()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TLS handshake failed")
                .hasMessageContaining("mt5.server.live1.tls-pinned-sha256")
                .hasMessageContaining("mt5.server.live1.tls-trust-store");

        WebApiGateway wrongPin = new WebApiGateway(settings(server, "tls-pinned-sha256", "ab".repeat(32)));
        assertThatThrownBy(() -> wrongPin.connect(new RecordingListener()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("does not match mt5.server.live1.tls-pinned-sha256");
    }

    // --- support ------------------------------------------------------------------------------------------------

    private SimulatorServer startServer(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--data-dir", dataDir.toString(), "--seed", "7"));
        args.addAll(List.of(options));
        if (args.subList(6, args.size()).contains("--port")) {
            args.subList(0, 2).clear();
        }
        return SimulatorServer.start(args.toArray(String[]::new));
    }

    /** Gateway settings for {@code live1} against the server, plus overrides (name, value; null removes). */
    static WebApiSettings settings(SimulatorServer server, String... overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("address", server.address());
        values.put("login", "1000");
        values.put("password", "Simulator-1");
        server.fingerprint().ifPresentOrElse(f -> values.put("tls-pinned-sha256", f), () -> values.put("tls", "false"));
        values.put("max-requests-per-second", "200");
        return WebApiTestSettings.of(values, overrides);
    }

    /**
     * Waits until the recorder holds every deal the books have made since {@code since} as of now (and at least
     * {@code atLeast} of them): nothing the server made while the gateway was connected may be missing.
     */
    private void awaitAllDealsSince(RecordingListener recorder, Instant since, int atLeast) {
        await().atMost(Duration.ofSeconds(30)).until(() -> server.simulator().dealHistory(since.minusSeconds(1),
                Instant.now().plusSeconds(3600)).size() >= atLeast);
        Set<Long> expected = server.simulator().dealHistory(since, Instant.now().plusSeconds(3600)).stream()
                .map(e -> e.deal().ticket()).collect(Collectors.toCollection(TreeSet::new));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recorder.dealTickets())
                .containsAll(expected));
    }
}

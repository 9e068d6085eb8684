package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.mt5crmhub.component.Mt5Component;
import io.mt5crmhub.component.Mt5Consumer;
import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.replay.ReplayGateway;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.StoreQueries;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/**
 * The real default routes (routes/*.yaml) and connector (connectors/crm-jdbc-sink) fed by a replay of
 * duplicates and out-of-order updates: the store keeps one row per MT5 record with its newest state, and
 * playing the same events again changes nothing.
 */
@CamelMainTest(configurationClasses = HubConfiguration.class,
               propertyPlaceholderLocations = "file:application.properties",
               properties = {
                       "mt5.servers=rp",
                       "mt5.server.rp.gateway=replay",
                       "mt5.server.rp.file=target/replay-pipeline-test.jsonl",
                       "hub.db.url=jdbc:h2:mem:replay-pipeline;DB_CLOSE_DELAY=-1",
                       "hub.http.port=18091",
                       // the balance service would hold the replay connection open across the route restart below
                       "hub.balance.enabled=false" })
class ReplayPipelineTest {

    private static final Instant T = EventSamples.T0;
    private static final Path FILE = Path.of("target/replay-pipeline-test.jsonl");
    private static final List<String> ROUTES = List.of("crm-store-deals", "crm-store-positions", "crm-store-accounts");
    private static final long EVENTS;
    /** A deal the store's database refuses (its symbol is longer than crm_deal.symbol), in the middle of a batch. */
    private static final Mt5Event POISON = poison();

    static {
        // written before the context starts: the replay gateway checks its file at start-up
        List<Mt5Event> events = new ArrayList<>();
        for (long ticket = 1000001; ticket <= 1000020; ticket++) {
            events.add(EventSamples.deposit("rp", ticket, 50001 + ticket % 3, "10.00", "d" + ticket));
        }
        events.addAll(events.subList(0, 10)); // redelivered
        events.add(EventSamples.account("rp", 50001, "300.00", T.plusSeconds(30)));
        events.add(EventSamples.account("rp", 50001, "100.00", T.plusSeconds(10))); // late, older
        events.add(EventSamples.position("rp", EventType.POSITION_DELETED, 5000001, 50001, "1", "7.50", T.plusSeconds(9)));
        events.add(EventSamples.position("rp", EventType.POSITION_UPDATED, 5000001, 50001, "1", "2.00", T.plusSeconds(5)));
        events.add(EventSamples.position("rp", EventType.POSITION_ADDED, 5000001, 50001, "1", "0.00", T));
        events.add(EventSamples.position("rp", EventType.POSITION_ADDED, 5000002, 50002, "0.5", "0.00", T));
        events.add(POISON);
        try {
            Files.createDirectories(FILE.getParent());
            EventSamples.writeJsonl(FILE, events.stream().map(EventSamples::json).toList());
            EVENTS = events.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Mt5Event poison() {
        Deal d = EventSamples.buy("rp", 1000099, 50001, 5000099, "1").deal();
        Deal tooLong = new Deal(d.ticket(), d.order(), d.positionId(), d.action(), d.entry(), d.reason(), "X".repeat(80),
                d.volume(), d.price(), d.profit(), d.commission(), d.swap(), d.fee(), d.comment());
        return Mt5Event.ofDeal("rp", EventType.DEAL_ADDED, 50001, "real\\usd", T.plusSeconds(99), tooLong);
    }

    @BeanInject
    CamelContext context;
    @BeanInject("hubDataSource")
    DataSource dataSource;

    @Test
    void storeHoldsOneNewestRowPerRecordAndAReplayChangesNothing() throws Exception {
        StoreQueries store = new StoreQueries(dataSource);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.count("SELECT COUNT(*) FROM crm_position") == 2
                && store.count("SELECT COUNT(*) FROM crm_deal") == 20
                && store.count("SELECT COUNT(*) FROM crm_account") == 1);

        assertThat(store.count("SELECT COUNT(*) FROM crm_deal")).isEqualTo(20);
        assertThat(store.rows("SELECT balance FROM crm_account WHERE login = 50001").get(0).get(0))
                .asString().startsWith("300.00");
        assertThat(store.rows("SELECT closed, profit FROM crm_position WHERE ticket = 5000001").get(0))
                .containsExactly(true, new java.math.BigDecimal("7.50000000"));
        await().atMost(Duration.ofSeconds(20)).until(() -> store.count("SELECT COUNT(*) FROM hub_dead_letter") > 0);
        assertThat(store.rows("SELECT event_id, route_id, reason FROM hub_dead_letter")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get(0)).isEqualTo(POISON.eventId());
                    assertThat(row.get(1)).isEqualTo("crm-store-deals");
                    assertThat(row.get(2)).asString().containsIgnoringCase("too long");
                });
        await("the deal checkpoints, kept in the hub database").atMost(Duration.ofSeconds(20))
                .until(() -> store.count("SELECT COUNT(*) FROM hub_checkpoint WHERE checkpoint_key = 'mt5:rp:deals:mt5-deals'")
                        == 1);
        List<List<Object>> before = store.snapshot();
        long processedKeys = store.count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED");

        // play the whole file again: the replay gateway replays on every connect
        for (String route : ROUTES) {
            context.getRouteController().stopRoute(route);
        }
        for (String route : ROUTES) {
            context.getRouteController().startRoute(route);
        }
        // the second play's poison deal is dead-lettered by its own exchange, which may still be on its way when the
        // gateway reports the file played: wait for its row too
        await().atMost(Duration.ofSeconds(20)).until(() -> replayFinishedTwice(context, EVENTS)
                && store.count("SELECT COUNT(*) FROM hub_dead_letter") >= 2);

        assertThat(store.snapshot()).isEqualTo(before);
        assertThat(store.count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED")).isEqualTo(processedKeys);
        assertThat(store.rows("SELECT event_id FROM hub_dead_letter")).as("the poison deal, once per play, alone")
                .containsExactly(List.of(POISON.eventId()), List.of(POISON.eventId()));
    }

    /** The file was played twice and everything it delivered has been routed. */
    private static boolean replayFinishedTwice(CamelContext context, long eventsPerPlay) {
        Mt5Component component = context.getComponent("mt5", Mt5Component.class);
        ReplayGateway replay = (ReplayGateway) component.connections().get("rp").source();
        if (!replay.isFinished() || replay.deliveredEvents() < 2 * eventsPerPlay) {
            return false;
        }
        for (String route : ROUTES) {
            if (((Mt5Consumer) context.getRoute(route).getConsumer()).getPendingExchangesSize() > 0) {
                return false;
            }
        }
        return context.getInflightRepository().size() == 0;
    }
}

package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.event.PositionAction;
import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.RecordingListener;

/**
 * Users and positions through the native gateway on the stand-in: pushed by the sinks as they change, read in full
 * by group, and after an outage the differences a new snapshot shows, as the Web API gateway reports them.
 */
class NativeAccountsAndPositionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long T0 = 1_764_744_012_345L; // server-local ms
    private static final int BUY = 0;
    private static final int USER_REQUEST_SLOT = 84;

    private Mt5Stub.Control stub;
    private NativeGateway gateway;
    private final RecordingListener listener = new RecordingListener();
    private long arraysBefore;

    @BeforeEach
    void resetStandIn() {
        stub = Mt5Stub.reset();
        stub.stub_set_credentials(Mt5Stub.MANAGER, Mt5Stub.utf16(Mt5Stub.PASSWORD));
        arraysBefore = stub.stub_live_arrays();
    }

    @AfterEach
    void disconnect() {
        if (gateway != null) {
            gateway.disconnect();
        }
        assertThat(Mt5Stub.violationCount()).as(Mt5Stub.lastViolation()).isZero();
        assertThat(stub.stub_live_arrays()).as("every array the gateway asked for was released")
                .isEqualTo(arraysBefore);
    }

    @Test
    void everySinkIsSubscribedOnceForTheLifeOfTheGatewayNotPerConnect() throws Exception {
        connect(Map.of());
        gateway.disconnect();
        gateway.connect(listener);

        for (int subscribe : new int[] {7, 77, 102, 108}) {
            assertThat(stub.stub_calls(subscribe)).as("slot " + subscribe).isEqualTo(1);
        }
        assertThat(stub.stub_calls(5)).isEqualTo(2);
    }

    @Test
    void userChangesArePushedAsAccountEventsWithTheirGroupAndAVersionEach() throws Exception {
        connect(Map.of());

        user(Mt5Stub.ADD, 50012, "real\\usd", "Иван Петров", 100, 250.5);
        user(Mt5Stub.UPDATE, 50012, "real\\usd", "Иван Петров", 200, 250.5);
        user(Mt5Stub.DELETE, 50012, "real\\usd", "Иван Петров", 200, 250.5);
        await().atMost(WAIT).until(() -> listener.events(EntityType.ACCOUNT).size() == 3);

        List<Mt5Event> events = listener.events(EntityType.ACCOUNT);
        assertThat(events).extracting(Mt5Event::type).containsExactly(EventType.ACCOUNT_ADDED,
                EventType.ACCOUNT_UPDATED, EventType.ACCOUNT_DELETED);
        Mt5Event added = events.get(0);
        assertThat(added.login()).isEqualTo(50012);
        assertThat(added.group()).isEqualTo("real\\usd");
        assertThat(added.account().name()).isEqualTo("Иван Петров");
        assertThat(added.account().balance()).isEqualByComparingTo("250.5");
        assertThat(added.account().leverage()).isEqualTo(100);
        assertThat(events.get(1).account().leverage()).isEqualTo(200);
        assertThat(events).extracting(e -> e.account().updatedAt()).isSorted().doesNotHaveDuplicates();
        assertThat(events).extracting(Mt5Event::eventId).doesNotHaveDuplicates();
    }

    @Test
    void positionChangesArePushedWithTheGroupOfTheirLoginAndTheCloseStampedAfterTheLastUpdate() throws Exception {
        user(Mt5Stub.ADD, 50012, "real\\usd", "Ann", 100, 1000); // in the snapshot taken at connect
        connect(Map.of());

        position(Mt5Stub.ADD, 7001, 50012, "EURUSD", 15000, T0);
        position(Mt5Stub.UPDATE, 7001, 50012, "EURUSD", 15000, T0 + 500);
        position(Mt5Stub.DELETE, 7001, 50012, "EURUSD", 15000, T0 + 500);
        await().atMost(WAIT).until(() -> listener.events(EntityType.POSITION).size() == 3);

        List<Mt5Event> events = listener.events(EntityType.POSITION);
        assertThat(events).extracting(Mt5Event::type).containsExactly(EventType.POSITION_ADDED,
                EventType.POSITION_UPDATED, EventType.POSITION_DELETED);
        assertThat(events).extracting(Mt5Event::group).containsOnly("real\\usd");
        Mt5Event opened = events.get(0);
        assertThat(opened.position().ticket()).isEqualTo(7001);
        assertThat(opened.position().action()).isEqualTo(PositionAction.BUY);
        assertThat(opened.position().volume()).isEqualByComparingTo("1.5");
        assertThat(opened.position().priceOpen()).isEqualByComparingTo("1.08345");
        assertThat(opened.occurredAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(events.get(1).occurredAt()).isEqualTo(Instant.ofEpochMilli(T0 + 500));
        assertThat(events.get(2).occurredAt()).isAfter(Instant.ofEpochMilli(T0 + 500));
        assertThat(events).extracting(Mt5Event::eventId).doesNotHaveDuplicates();
    }

    @Test
    void dealsCarryTheGroupOfTheirLoginFromTheSnapshotOrFromTheUserSink() throws Exception {
        user(Mt5Stub.ADD, 50012, "real\\usd", "Ann", 100, 1000);
        connect(Map.of());
        user(Mt5Stub.ADD, 50013, "real\\eur", "Bob", 100, 0); // pushed before its first deal, as MT5 does

        deal(9001, 50012, T0);
        deal(9002, 50013, T0 + 1);
        await().atMost(WAIT).until(() -> listener.dealTickets().size() == 2);

        assertThat(listener.events(EntityType.DEAL)).extracting(Mt5Event::group)
                .containsExactly("real\\usd", "real\\eur");
        assertThat(gateway.dealHistory(Instant.ofEpochMilli(T0 - 60_000), Instant.ofEpochMilli(T0 + 60_000)))
                .extracting(Mt5Event::group).containsExactly("real\\usd", "real\\eur");
    }

    @Test
    void pushedRecordsOutsideTheConfiguredGroupsAreNotShownAndALoginSeenNowhereIsAskedForOnce() throws Exception {
        user(Mt5Stub.ADD, 50012, "real\\usd", "Ann", 100, 1000);
        user(Mt5Stub.ADD, 60001, "demo\\usd", "Demo", 100, 0);
        connect(Map.of("groups", "real*"));

        user(Mt5Stub.UPDATE, 60001, "demo\\usd", "Demo", 200, 0); // the sinks push every login the manager sees
        position(Mt5Stub.ADD, 7002, 60001, "EURUSD", 10000, T0);
        deal(9001, 60001, T0);
        deal(9002, 70001, T0 + 1); // no snapshot or user change named 70001: MT5 is asked once
        deal(9003, 70001, T0 + 2);
        deal(9004, 50012, T0 + 3);
        user(Mt5Stub.UPDATE, 50012, "demo\\usd", "Ann", 100, 1000); // moved out of the configured groups
        await().atMost(WAIT).until(() -> listener.events(EntityType.ACCOUNT).size() == 1);

        assertThat(listener.dealTickets()).containsExactly(9002L, 9003L, 9004L);
        assertThat(listener.events(EntityType.DEAL)).extracting(Mt5Event::group)
                .containsExactly(null, null, "real\\usd");
        assertThat(listener.events(EntityType.POSITION)).isEmpty();
        assertThat(listener.events(EntityType.ACCOUNT)).extracting(e -> e.type() + " " + e.login())
                .containsExactly("account.deleted 50012");
        assertThat(stub.stub_calls(USER_REQUEST_SLOT)).isEqualTo(1);
    }

    @Test
    void fullReadsAnswerTheConfiguredGroupsOnly() throws Exception {
        user(Mt5Stub.ADD, 50012, "real\\usd", "Ann", 100, 1000);
        user(Mt5Stub.ADD, 60001, "demo\\usd", "Demo", 100, 10000);
        position(Mt5Stub.ADD, 7001, 50012, "EURUSD", 10000, T0);
        position(Mt5Stub.UPDATE, 7001, 50012, "EURUSD", 10000, T0 + 1000);
        position(Mt5Stub.ADD, 7002, 60001, "EURUSD", 10000, T0);
        connect(Map.of("groups", "real*"));

        List<Mt5Event> accounts = gateway.accounts();
        List<Mt5Event> positions = gateway.openPositions();

        assertThat(accounts).extracting(Mt5Event::login).containsExactly(50012L);
        assertThat(accounts).extracting(Mt5Event::type).containsExactly(EventType.ACCOUNT_UPDATED);
        assertThat(gateway.accounts()).extracting(Mt5Event::eventId)
                .as("the same content reads with the same id").isEqualTo(accounts.stream().map(Mt5Event::eventId).toList());
        assertThat(positions).extracting(e -> e.position().ticket()).containsExactly(7001L);
        assertThat(positions).extracting(Mt5Event::type).containsExactly(EventType.POSITION_UPDATED);
    }

    @Test
    void afterAnOutageTheSnapshotsReportWhatChangedMeanwhileBeforeTheListenerHearsConnected() throws Exception {
        user(Mt5Stub.ADD, 50012, "real\\usd", "Ann", 100, 1000);
        user(Mt5Stub.ADD, 50013, "real\\usd", "Bob", 100, 1000);
        position(Mt5Stub.ADD, 7001, 50012, "EURUSD", 10000, T0);
        connect(Map.of());

        stub.stub_drop_connection();
        await().atMost(WAIT).until(listener::disconnected);
        assertThat(listener.calls().get(1)).contains("dropped the connection");
        user(Mt5Stub.UPDATE, 50012, "real\\usd", "Ann", 500, 1000);    // the stand-in keeps these from the sinks
        user(Mt5Stub.DELETE, 50013, "real\\usd", "Bob", 100, 1000);
        position(Mt5Stub.DELETE, 7001, 50012, "EURUSD", 10000, T0);
        position(Mt5Stub.ADD, 7002, 50012, "GBPUSD", 20000, T0 + 5_000);
        assertThat(listener.size()).isZero();
        stub.stub_restore_connection();
        await().atMost(WAIT).until(() -> listener.calls().size() == 3);

        assertThat(listener.calls().get(2)).isEqualTo("connected");
        assertThat(listener.snapshot()).extracting(e -> e.type() + " " + (e.position() == null ? e.login()
                : e.position().ticket())).containsExactly("account.updated 50012", "account.deleted 50013",
                        "position.added 7002", "position.deleted 7001");
        assertThat(listener.snapshot().get(0).account().leverage()).isEqualTo(500);
    }

    @Test
    void malformedDealsAreSkippedAndCountedOnceWhetherPushedOrReadAgainAndTheStreamGoesOn() throws Exception {
        user(Mt5Stub.ADD, 50012, "real\\usd", "Ann", 100, 0);
        connect(Map.of());

        stub.stub_deal_event(Mt5Stub.ADD, 9101, 50012, 99, 0, 0, 0, 1, Mt5Stub.utf16(""), Mt5Stub.utf16(""), T0, 0);
        stub.stub_deal_event(Mt5Stub.ADD, 9102, 50012, 2, 9, 0, 0, 1, Mt5Stub.utf16(""), Mt5Stub.utf16(""), T0, 0);
        stub.stub_deal_event(Mt5Stub.ADD, 9103, 50012, 2, 0, 0, 0, Double.POSITIVE_INFINITY, Mt5Stub.utf16(""),
                Mt5Stub.utf16(""), T0, 0);
        deal(9104, 50012, T0 + 1);
        await().atMost(WAIT).until(() -> listener.dealTickets().contains(9104L));

        assertThat(listener.dealTickets()).containsExactly(9104L);
        assertThat(gateway.skippedRecords()).isEqualTo(3);
        assertThat(gateway.dealHistory(Instant.ofEpochMilli(T0 - 1000), Instant.ofEpochMilli(T0 + 1000)))
                .extracting(e -> e.deal().ticket()).containsExactly(9104L);
        assertThat(gateway.skippedRecords()).isEqualTo(3);
    }

    @Test
    void malformedUsersAndPositionsAreSkippedAndCountedAndTheStreamGoesOn() throws Exception {
        connect(Map.of());

        stub.stub_position_event(Mt5Stub.ADD, 7009, 50012, Mt5Stub.utf16("EURUSD"), 7, 10000, 1.1, 0, T0);
        user(Mt5Stub.ADD, 50014, "real\\usd", "Huge", -1, 0); // leverage 4294967295
        stub.stub_position_event(Mt5Stub.ADD, 7010, 50012, Mt5Stub.utf16("EURUSD"), BUY, 10000, Double.NaN, 0, T0);
        position(Mt5Stub.ADD, 7011, 50012, "EURUSD", 10000, T0);
        await().atMost(WAIT).until(() -> listener.size() == 1);

        assertThat(listener.snapshot().get(0).position().ticket()).isEqualTo(7011);
        assertThat(gateway.skippedRecords()).isEqualTo(3);
        assertThat(gateway.openPositions()).extracting(e -> e.position().ticket()).containsExactly(7011L);
        assertThat(gateway.skippedRecords()).as("a record read again is not counted again").isEqualTo(3);
    }

    private void connect(Map<String, String> overrides) throws Exception {
        gateway = NativeGateways.create(overrides);
        gateway.connect(listener);
        assertThat(stub.stub_drain(10_000)).isZero(); // the syncs of the connect
    }

    private void user(int change, long login, String group, String name, int leverage, double balance) {
        stub.stub_user_event(change, login, Mt5Stub.utf16(group), Mt5Stub.utf16(name), Mt5Stub.utf16(""),
                Mt5Stub.utf16("DE"), leverage, balance, 0, 0);
    }

    private void position(int change, long ticket, long login, String symbol, long volume, long timeUpdateMsc) {
        stub.stub_position_event(change, ticket, login, Mt5Stub.utf16(symbol), BUY, volume, 1.08345, 0,
                timeUpdateMsc);
    }

    private void deal(long ticket, long login, long timeMsc) {
        stub.stub_deal_event(Mt5Stub.ADD, ticket, login, 2, 0, 0, 0, 100, Mt5Stub.utf16(""), Mt5Stub.utf16(""),
                timeMsc, 0);
    }
}

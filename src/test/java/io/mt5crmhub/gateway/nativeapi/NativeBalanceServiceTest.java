package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mt5crmhub.balance.BalanceOperation;
import io.mt5crmhub.balance.BalanceRequest;
import io.mt5crmhub.balance.BalanceRequestStore;
import io.mt5crmhub.balance.BalanceService;
import io.mt5crmhub.balance.BalanceState;
import io.mt5crmhub.balance.BalanceType;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.RecordingListener;
import io.mt5crmhub.testsupport.TestDatabases;

/** The hub's exactly-once balance operations on the native gateway: done, rejected, and a timeout looked up. */
class NativeBalanceServiceTest {

    private static final long LOGIN = 50012;
    private static final int DEALER_BALANCE_SLOT = 192;

    private Mt5Stub.Control stub;
    private NativeGateway gateway;
    private HubDatabase database;
    private BalanceRequestStore store;
    private BalanceService service;

    @BeforeEach
    void open() throws Exception {
        stub = Mt5Stub.reset();
        stub.stub_user_event(Mt5Stub.ADD, LOGIN, Mt5Stub.utf16("real\\usd"), Mt5Stub.utf16("Ann"), Mt5Stub.utf16(""),
                Mt5Stub.utf16(""), 100, 50, 0, 0);
        database = TestDatabases.h2InMemory(10);
        store = new BalanceRequestStore(database.dataSource(), database.dialect(), Clock.systemUTC());
        gateway = NativeGateways.create(Map.of());
        service = new BalanceService(store, server -> Optional.of(gateway), Clock.systemUTC(), Duration.ofSeconds(30));
        RecordingListener deals = new RecordingListener();
        deals.onEach(event -> {
            try {
                if (event.entity() == EntityType.DEAL) {
                    service.onDeal(event);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        gateway.connect(deals);
    }

    @AfterEach
    void close() {
        gateway.disconnect();
        database.close();
    }

    @Test
    void aDepositIsDoneWithItsTicketAndConfirmedWhenItsDealIsPushed() throws Exception {
        BalanceOperation op = service.submit(deposit("TX-N1", "250.00"));

        assertThat(op.dealTicket()).isPositive();
        BalanceOperation confirmed = await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find("TX-N1").orElseThrow(), o -> o.state() == BalanceState.CONFIRMED);
        assertThat(confirmed.dealTicket()).isEqualTo(op.dealTicket());
        assertThat(confirmed.retcode()).isEqualTo(Mt5Retcode.REQUEST_DONE);
    }

    @Test
    void aWithdrawalMt5RefusesIsRejectedWithItsRetcode() throws Exception {
        BalanceOperation op = service.submit(new BalanceRequest("TX-N2", "live1", LOGIN, BalanceType.WITHDRAWAL,
                new BigDecimal("1000.00"), null));

        assertThat(op.state()).isEqualTo(BalanceState.REJECTED);
        assertThat(op.retcode()).isEqualTo(Mt5Retcode.REQUEST_NO_MONEY);
    }

    @Test
    void aTimedOutDepositIsLookedUpByItsReferenceAndConfirmedWithoutBeingSentAgain() throws Exception {
        stub.stub_hold_events(1); // the deal is made but its push is late: only the look-up can find it
        stub.stub_balance_timeout_next();

        BalanceOperation op = service.submit(deposit("TX-N3", "30.00"));
        service.resolvePending();

        BalanceOperation found = store.find("TX-N3").orElseThrow();
        assertThat(op.state()).isIn(BalanceState.UNKNOWN, BalanceState.CONFIRMED);
        assertThat(found.state()).isEqualTo(BalanceState.CONFIRMED);
        assertThat(found.dealTicket()).isPositive();
        assertThat(gateway.findDeals(LOGIN, found.reference(), java.time.Instant.EPOCH)).singleElement()
                .satisfies(deal -> assertThat(deal.deal().ticket()).isEqualTo(found.dealTicket()));
        assertThat(stub.stub_calls(DEALER_BALANCE_SLOT)).isEqualTo(1);
        stub.stub_hold_events(0);
    }

    private static BalanceRequest deposit(String id, String amount) {
        return new BalanceRequest(id, "live1", LOGIN, BalanceType.DEPOSIT, new BigDecimal(amount), null);
    }
}

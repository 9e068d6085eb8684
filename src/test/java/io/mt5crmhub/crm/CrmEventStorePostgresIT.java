package io.mt5crmhub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.store.DatabaseFailures;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.FaultyDataSource;
import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CRM store's contract on the machine's PostgreSQL, a schema of its own per test. */
class CrmEventStorePostgresIT extends CrmStoreContract {

    private PostgresTestDatabase postgres;
    private HubDatabase db;

    @BeforeEach
    void open() throws Exception {
        postgres = new PostgresTestDatabase();
        db = TestDatabases.postgres(postgres.url(), 6);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
        postgres.close();
    }

    @Override
    protected HubDatabase db() {
        return db;
    }

    /**
     * The server ending the store's connection mid-apply (a restart): the pool then answers the rollback with a bare
     * "Connection is closed". The apply must fail as an outage (retried until the database is back), never refuse the
     * events (which would dead-letter a whole list for a restart).
     */
    @Test
    void aConnectionTheServerEndsMidApplyIsAnOutageNotARefusal() throws Exception {
        FaultyDataSource database = new FaultyDataSource(db.dataSource());
        CrmEventStore store = new CrmEventStore(database);
        List<Mt5Event> events = List.of(EventSamples.deposit("sim", 1000001, 50001, "10.00", ""),
                EventSamples.deposit("sim", 1000002, 50001, "20.00", ""));

        database.terminateEachConnection(postgres.url());
        Throwable failure = catchThrowable(() -> store.applyAll(events));
        database.terminateEachConnection(null);

        assertThat(failure).as("thrown as an outage, not answered with refusals").isNotNull();
        assertThat(DatabaseFailures.isUnavailable(failure)).as("%s", failure).isTrue();
        assertThat(store.applyAll(events)).as("once the database answers").isEmpty();
        try (Connection c = db.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM crm_deal")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }
}

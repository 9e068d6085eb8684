package io.mt5crmhub.crm;

import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
}

package io.mt5crmhub.crm;

import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The CRM store's contract on H2, the embedded default. */
class CrmEventStoreTest extends CrmStoreContract {

    private HubDatabase db;

    @BeforeEach
    void open() {
        db = TestDatabases.h2InMemory(6);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Override
    protected HubDatabase db() {
        return db;
    }
}

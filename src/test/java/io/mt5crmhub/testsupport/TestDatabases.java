package io.mt5crmhub.testsupport;

import java.time.Duration;
import java.util.UUID;

import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.StoreSettings;

/** Hub databases for tests: a fresh in-memory H2 one, or the machine's PostgreSQL. */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** A new, empty, migrated in-memory H2 database that lives until its pool is closed. */
    public static HubDatabase h2InMemory(int poolSize) {
        return HubDatabase.open(new StoreSettings("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "",
                poolSize, Duration.ZERO));
    }

    /** The database at {@code url} on the machine's PostgreSQL, migrated. */
    public static HubDatabase postgres(String url, int poolSize) {
        return HubDatabase.open(new StoreSettings(url, PostgresTestDatabase.USER, "", poolSize, Duration.ZERO));
    }
}

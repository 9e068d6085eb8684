package io.mt5crmhub.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.SqlDialect;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.Test;

/** The V2 migration and the balance store on the real PostgreSQL: unique ids, one winner of RECEIVED -> SENT. */
class BalanceRequestStorePostgresIT {

    @Test
    void theStoreKeepsOneRowPerIdAndLetsOneCallerSend() throws Exception {
        try (PostgresTestDatabase pg = new PostgresTestDatabase();
             HubDatabase db = TestDatabases.postgres(pg.url(), 10)) {
            assertThat(db.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
            BalanceRequestStore store = new BalanceRequestStore(db.dataSource(), db.dialect(), Clock.systemUTC());
            BalanceRequest request = new BalanceRequest("TX-PG-1", "sim", 50001, BalanceType.WITHDRAWAL,
                    new BigDecimal("12.34"), "from the CRM");
            BalanceOperation op = BalanceOperation.received(request, Instant.now());

            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> store.insertIfAbsent(op));
            }
            long inserted = count(pool.invokeAll(tasks));
            tasks.clear();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> store.markSent("TX-PG-1"));
            }
            long sent = count(pool.invokeAll(tasks));
            pool.shutdown();

            assertThat(inserted).isEqualTo(1);
            assertThat(sent).isEqualTo(1);
            BalanceOperation stored = store.find("TX-PG-1").orElseThrow();
            assertThat(stored.state()).isEqualTo(BalanceState.SENT);
            assertThat(stored.mt5Amount()).isEqualByComparingTo("-12.34");
            assertThat(stored.amount().toPlainString()).isEqualTo("12.34");
            assertThat(stored.comment()).isEqualTo("from the CRM");
            assertThat(store.findByReference("sim", "crm:TX-PG-1")).isPresent();

            assertThat(store.markUnknown("TX-PG-1", null, "outcome unknown: timeout")).isTrue();
            assertThat(store.markConfirmed("TX-PG-1", 777, null)).isTrue();
            assertThat(store.markRejected("TX-PG-1", 10019, "too late")).isFalse();
            BalanceOperation confirmed = store.find("TX-PG-1").orElseThrow();
            assertThat(confirmed.state()).isEqualTo(BalanceState.CONFIRMED);
            assertThat(confirmed.dealTicket()).isEqualTo(777);
            assertThat(store.unpublishedOutcomes(10)).extracting(BalanceOperation::crmTxnId).containsExactly("TX-PG-1");
            store.markPublished("TX-PG-1");
            assertThat(store.unpublishedOutcomes(10)).isEmpty();
            assertThat(store.unresolved()).isEmpty();
        }
    }

    private static long count(List<Future<Boolean>> results) throws Exception {
        long n = 0;
        for (Future<Boolean> f : results) {
            n += f.get() ? 1 : 0;
        }
        return n;
    }
}

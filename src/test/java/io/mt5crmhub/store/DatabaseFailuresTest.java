package io.mt5crmhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

/** An outage is waited for; a refused statement is not (it goes to the dead letters). */
class DatabaseFailuresTest {

    @Test
    void aLostOrRefusedConnectionIsAnOutageWhereverItSitsInTheCauseChain() {
        // PostgreSQL's "terminating connection due to administrator command" while it restarts
        assertThat(DatabaseFailures.isUnavailable(new RuntimeCamelException(new SQLException("terminating", "57P01"))))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("Connection refused", "08001"))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("apply failed",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available")))).isTrue();
    }

    @Test
    void aStatementTheDatabaseRefusesIsNotAnOutage() {
        assertThat(DatabaseFailures.isUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("value too long", "22001"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new IllegalArgumentException("bad event"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable((Throwable) null)).isFalse();
    }
}

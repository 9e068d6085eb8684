package io.mt5crmhub.pipeline;

import java.sql.Timestamp;

import javax.sql.DataSource;

import io.mt5crmhub.store.SqlDialect;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.dao.DuplicateKeyException;

/**
 * Camel's JDBC idempotent repository with a single-statement, race-free {@link #add}. The stock {@code add}
 * counts then inserts in one transaction: two concurrent consumers can both see zero, and on PostgreSQL the
 * loser's primary-key violation aborts the transaction. Here the primary key decides: one insert-if-absent
 * statement ({@code ON CONFLICT DO NOTHING} on PostgreSQL, a caught duplicate key on H2), in autocommit.
 * The table is created by the schema migrations, never by Camel.
 */
public class HubMessageIdRepository extends JdbcMessageIdRepository {

    private static final String INSERT = "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt)"
            + " VALUES (?, ?, ?)";

    private final String insertIfAbsent;

    public HubMessageIdRepository(DataSource dataSource, SqlDialect dialect, String processorName) {
        super(dataSource, processorName);
        setCreateTableIfNotExists(false);
        this.insertIfAbsent = dialect.insertIfAbsent(INSERT);
    }

    @Override
    public boolean add(String key) {
        try {
            return jdbcTemplate.update(insertIfAbsent, processorName, key, new Timestamp(System.currentTimeMillis())) == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }
}

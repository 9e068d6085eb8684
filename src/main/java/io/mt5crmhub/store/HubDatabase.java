package io.mt5crmhub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Secrets;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The hub's own database (H2 file by default, PostgreSQL in production): a HikariCP pool whose schema is
 * brought up to date by the Flyway migrations in {@code db/hub} before anything uses it.
 */
public final class HubDatabase implements AutoCloseable {

    /**
     * H2's page cache in KB unless hub.db.url sets CACHE_SIZE: 64 MB, about a million idempotency keys. It lives in
     * the heap and only fills: 256 MB measured no faster over 300,000 events and left the hub 40-60 MB more resident.
     */
    static final int H2_CACHE_KB = 65_536;
    static final int H2_QUERY_CACHE = 32;

    private final HikariDataSource dataSource;
    private final SqlDialect dialect;

    private HubDatabase(HikariDataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @throws ConfigurationException naming {@code hub.db.url} when the database cannot be reached
     */
    public static HubDatabase open(StoreSettings settings) {
        return open(settings, null);
    }

    /**
     * Opens the pool and migrates the schema; on PostgreSQL, with {@code abandonedAfter}, the server ends any
     * transaction of this pool left idle that long (idle_in_transaction_session_timeout). Instances sharing the
     * servers need it: the fence's row locks of an instance frozen or cut off mid-transaction would otherwise hold up
     * another instance's claim until the frozen one wakes, or until TCP gives up on it (hours).
     *
     * @throws ConfigurationException naming {@code hub.db.url} when the database cannot be reached
     */
    public static HubDatabase open(StoreSettings settings, Duration abandonedAfter) {
        String url = settings.url();
        String username = settings.username();
        String password = settings.password();
        HikariConfig config = new HikariConfig();
        config.setPoolName("hub-db");
        config.setJdbcUrl(tunedUrl(url));
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(settings.poolSize());
        config.setInitializationFailTimeout(10_000);
        config.setConnectionTimeout(10_000);
        if (abandonedAfter != null && url.startsWith("jdbc:postgresql:")) {
            config.setConnectionInitSql("SET idle_in_transaction_session_timeout = " + abandonedAfter.toMillis());
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException | IllegalArgumentException | IllegalStateException e) {
            throw new ConfigurationException("hub.db.url='" + Secrets.maskUrl(url) + "': cannot connect: "
                    + rootMessage(e), e);
        } catch (RuntimeException e) {
            throw new ConfigurationException("hub.db.url='" + Secrets.maskUrl(url) + "': " + rootMessage(e), e);
        }
        try {
            SqlDialect dialect = SqlDialect.of(dataSource);
            migrate(config.getJdbcUrl(), username, password);
            return new HubDatabase(dataSource, dialect);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e instanceof ConfigurationException ce ? ce
                    : new ConfigurationException("hub.db.url='" + Secrets.maskUrl(url) + "': " + rootMessage(e), e);
        }
    }

    /**
     * The H2 settings the hub needs unless the URL sets them: a page cache for the idempotency keys, and no close on
     * JVM exit. H2 closes its databases from its own JVM shutdown hook, which races Camel's graceful shutdown
     * (consumers still store checkpoints while the hook runs); the hub closes its pool itself, after the routes.
     */
    static String tunedUrl(String url) {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        String tuned = url;
        // H2's default page cache (16 MB) is smaller than the idempotency keys of a busy day: measured, the RabbitMQ
        // fan-out slowed from 17k to 12k events/s between 150k and 300k keys, reading pages back
        if (url.startsWith("jdbc:h2:") && !sets(upper, "CACHE_SIZE")) {
            tuned = tuned + ";CACHE_SIZE=" + H2_CACHE_KB;
        }
        // the CRM store writes each table with statements of a few sizes (CrmEventStore): with H2's default of 8
        // parsed statements per session they and the other routes' statements would push each other out and be parsed again
        if (url.startsWith("jdbc:h2:") && !sets(upper, "QUERY_CACHE_SIZE")) {
            tuned = tuned + ";QUERY_CACHE_SIZE=" + H2_QUERY_CACHE;
        }
        // H2 refuses DB_CLOSE_ON_EXIT=FALSE in AUTO_SERVER mode (the mode for peeking into a running hub)
        if (url.startsWith("jdbc:h2:") && !upper.contains("DB_CLOSE_ON_EXIT") && !upper.contains("AUTO_SERVER=TRUE")) {
            tuned = tuned + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        return tuned;
    }

    private static boolean sets(String upperUrl, String setting) {
        return upperUrl.contains(";" + setting + "=");
    }

    /** Migrates over Flyway's own connections: it needs more than one on PostgreSQL, whatever the pool size. */
    private static void migrate(String url, String username, String password) {
        try {
            Flyway.configure()
                    .dataSource(url, username, password)
                    .locations("classpath:db/hub")
                    .table("hub_schema_history")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new IllegalStateException("schema migration failed: " + rootMessage(e), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** Checks the database answers; used by the health check. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}

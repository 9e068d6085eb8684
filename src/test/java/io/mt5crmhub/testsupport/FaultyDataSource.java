package io.mt5crmhub.testsupport;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

/**
 * A real data source (a pool) with the faults of a database going away, each switched on by a test:
 * <ul>
 * <li>away: new connections are refused, as by a database that is down;</li>
 * <li>a lost commit answer: the next commit of a transaction that prepared a given statement takes effect, then
 * fails as if the connection had been lost before the answer reached the client;</li>
 * <li>terminated connections (PostgreSQL): each connection is handed out with its server process already ended
 * ({@code pg_terminate_backend}), as a fast shutdown does to what the pool holds; its next statement fails with
 * SQLSTATE 57P01.</li>
 * </ul>
 */
public final class FaultyDataSource implements DataSource {

    private final DataSource pool;
    private volatile boolean away;
    /** The start of the statement whose transaction's commit answer is lost next, or null. */
    private final AtomicReference<String> commitLostAfter = new AtomicReference<>();
    /** The PostgreSQL URL to terminate each connection's server process through, or null. */
    private volatile String terminatingThrough;

    public FaultyDataSource(DataSource pool) {
        this.pool = pool;
    }

    public void setAway(boolean away) {
        this.away = away;
    }

    /** The next commit of a transaction that prepared a statement starting with {@code statement} loses its answer. */
    public void loseTheNextCommitsAnswer(String statement) {
        commitLostAfter.set(statement);
    }

    /** Ends each connection's server process before handing it out, through {@code postgresUrl}; null stops it. */
    public void terminateEachConnection(String postgresUrl) {
        terminatingThrough = postgresUrl;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (away) {
            throw new SQLTransientConnectionException("the database is away (test)", "08001");
        }
        Connection connection = pool.getConnection();
        String terminating = terminatingThrough;
        if (terminating != null) {
            terminate(connection.unwrap(PGConnection.class).getBackendPID(), terminating);
        }
        List<String> prepared = new ArrayList<>();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("prepareStatement")) {
                            prepared.add((String) args[0]);
                        }
                        Object result = method.invoke(connection, args);
                        String losing = commitLostAfter.get();
                        if (method.getName().equals("commit") && losing != null
                                && prepared.stream().anyMatch(sql -> sql.startsWith(losing))
                                && commitLostAfter.compareAndSet(losing, null)) {
                            throw new SQLException("An I/O error occurred while sending to the backend (test)",
                                    "08006");
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void terminate(int pid, String postgresUrl) throws SQLException {
        try (Connection admin = DriverManager.getConnection(postgresUrl, PostgresTestDatabase.USER, "");
             PreparedStatement terminate = admin.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
            terminate.setInt(1, pid);
            try (ResultSet rs = terminate.executeQuery()) {
                rs.next(); // waits up to 10 s until the process is gone
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }
}

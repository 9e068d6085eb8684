package io.mt5crmhub.testsupport;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

/**
 * A PostgreSQL pool whose connections, while switched on, are handed out with their server process already
 * terminated ({@code pg_terminate_backend}): what a fast shutdown or an administrator does to a connection the pool
 * still holds. The next statement fails with SQLSTATE 57P01, as it does when the server goes down.
 */
public final class TerminatedConnections implements DataSource {

    private final DataSource pool;
    private final String url;
    private volatile boolean terminating;

    public TerminatedConnections(DataSource pool, String url) {
        this.pool = pool;
        this.url = url;
    }

    public void setTerminating(boolean terminating) {
        this.terminating = terminating;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = pool.getConnection();
        if (terminating) {
            int pid = c.unwrap(PGConnection.class).getBackendPID();
            try (Connection admin = DriverManager.getConnection(url, PostgresTestDatabase.USER, "");
                 PreparedStatement terminate = admin.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
                terminate.setInt(1, pid);
                try (ResultSet rs = terminate.executeQuery()) {
                    rs.next(); // waits up to 10 s until the process is gone
                }
            }
        }
        return c;
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

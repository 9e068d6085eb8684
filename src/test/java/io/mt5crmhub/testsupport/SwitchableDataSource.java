package io.mt5crmhub.testsupport;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A real data source that can be made unreachable, as a database that is down refuses new connections, or whose next
 * commit takes effect but answers with a lost connection (the server ended it before the answer reached the client).
 */
public final class SwitchableDataSource implements DataSource {

    private final DataSource real;
    private volatile boolean away;
    /** The statement whose transaction's commit answer is lost next, or null. */
    private final java.util.concurrent.atomic.AtomicReference<String> commitLostAfter =
            new java.util.concurrent.atomic.AtomicReference<>();

    public SwitchableDataSource(DataSource real) {
        this.real = real;
    }

    public void setAway(boolean away) {
        this.away = away;
    }

    /**
     * The next commit of a transaction that prepared a statement starting with {@code statement} takes effect, then
     * fails as if the connection had been lost before its answer.
     */
    public void loseTheNextCommitsAnswer(String statement) {
        commitLostAfter.set(statement);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (away) {
            throw new SQLTransientConnectionException("the database is away (test)", "08001");
        }
        Connection connection = real.getConnection();
        java.util.List<String> prepared = new java.util.ArrayList<>();
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
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
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return real.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return real.isWrapperFor(type);
    }
}

package io.mt5crmhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The CRM-owned map {@code hub_login_map(server, login, client_id)}: which CRM client owns which MT5 login.
 * One client owns many logins, per server. Lookups are cached for a few seconds (a query per event was a fifth
 * of the fan-out's time in the benchmark), so a change the CRM makes reaches events within that time.
 */
public class LoginMap {

    private static final String SELECT = "SELECT client_id FROM hub_login_map WHERE server = ? AND login = ?";
    private static final String COUNT = "SELECT COUNT(*) FROM hub_login_map WHERE server = ?";
    private static final String INSERT = "INSERT INTO hub_login_map (server, login, client_id) VALUES (?, ?, ?)";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final Cache<Key, Optional<String>> cache;

    private record Key(String server, long login) {
    }

    public LoginMap(DataSource dataSource, SqlDialect dialect) {
        this(dataSource, dialect, Duration.ZERO);
    }

    public LoginMap(DataSource dataSource, SqlDialect dialect, Duration cacheTtl) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.cache = cacheTtl.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(1_000_000).build();
    }

    public Optional<String> clientIdOf(String server, long login) throws SQLException {
        if (cache == null) {
            return query(server, login);
        }
        Key key = new Key(server, login);
        Optional<String> cached = cache.getIfPresent(key);
        if (cached == null) {
            cached = query(server, login);
            cache.put(key, cached);
        }
        return cached;
    }

    private Optional<String> query(String server, long login) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, server);
            ps.setLong(2, login);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public boolean isEmpty(String server) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(COUNT)) {
            ps.setString(1, server);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        }
    }

    /** Adds the given mappings, leaving any that already exist as they are. */
    public int addAll(String server, Map<Long, String> clientIdByLogin) throws SQLException {
        int added = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(dialect.insertIfAbsent(INSERT))) {
            for (Map.Entry<Long, String> e : clientIdByLogin.entrySet()) {
                ps.setString(1, server);
                ps.setLong(2, e.getKey());
                ps.setString(3, e.getValue());
                if (JdbcInserts.insertIfAbsent(ps)) {
                    added++;
                }
                if (cache != null) {
                    cache.invalidate(new Key(server, e.getKey()));
                }
            }
        }
        return added;
    }
}

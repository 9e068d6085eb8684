package io.mt5crmhub.balance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.BiFunction;

import javax.sql.DataSource;

/** A login's deposit currency as the CRM store last saw it ({@code crm_account}), to check an amount's decimals. */
public final class LoginCurrencies implements BiFunction<String, Long, Optional<String>> {

    private final DataSource dataSource;

    public LoginCurrencies(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<String> apply(String server, Long login) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT currency FROM crm_account WHERE server = ? AND login = ?")) {
            ps.setString(1, server);
            ps.setLong(2, login);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the currency of login " + login + ": " + e.getMessage(), e);
        }
    }
}

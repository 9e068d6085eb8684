package io.mt5crmhub.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Runs an insert-if-absent statement built by {@link SqlDialect#insertIfAbsent}. */
public final class JdbcInserts {

    private JdbcInserts() {
    }

    /** @return true when this call inserted the row, false when the key was already there */
    public static boolean insertIfAbsent(PreparedStatement insert) throws SQLException {
        try {
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (SqlDialect.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }
}

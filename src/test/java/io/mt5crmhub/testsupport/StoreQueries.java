package io.mt5crmhub.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/** Reads the hub store in tests: counts and whole-table snapshots to compare before and after. */
public final class StoreQueries {

    private final DataSource dataSource;

    public StoreQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public long count(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of the query, each as a list of column values, in the query's order. */
    public List<List<Object>> rows(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole CRM store, ordered, for before/after comparisons. */
    public List<List<Object>> snapshot() {
        List<List<Object>> all = new ArrayList<>();
        all.addAll(rows("SELECT * FROM crm_deal ORDER BY server, ticket"));
        all.addAll(rows("SELECT * FROM crm_account ORDER BY server, login"));
        all.addAll(rows("SELECT * FROM crm_position ORDER BY server, ticket"));
        return all;
    }
}

package io.mt5crmhub.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

import io.mt5crmhub.store.SqlDialect;

/**
 * One statement that writes a row of a versioned {@code crm_*} table whatever is stored: it inserts the row when
 * its key is absent, and otherwise takes its values only when its version is newer than the stored one. With a
 * tombstone column (deals' {@code deleted}), a tombstone arriving marks the row deleted whatever its version, and a
 * stored tombstone takes no values any more (only an earlier deal time, a fact of the deal). So the stored row is the same whatever order the
 * changes arrive in, and a JDBC batch of these statements needs no reading first.
 * <p>
 * PostgreSQL gets {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}, which is safe against a concurrent insert of
 * the same key; H2 gets {@code MERGE ... USING}, where a concurrent insert of the same key fails with a unique
 * violation that the caller retries. One statement writes one or several rows of distinct keys (both databases
 * refuse a statement that changes one row twice); each row's parameters bind in {@link #columns()} order.
 */
final class VersionedUpsert {

    /** A column and the SQL type its parameter is cast to (H2 types the values of {@code USING (VALUES ...)}). */
    record Column(String name, String type) {
    }

    private final String table;
    private final List<Column> keys;
    private final List<Column> values;
    private final List<Column> earliest;
    private final Column version;
    private final Column tombstone;

    /**
     * @param values    taken from a newer change
     * @param earliest  keep the earliest value any change brought, newer or not (a deal's own time: an update that
     *                  arrives before its add carries its own time, and the late add corrects it)
     * @param tombstone  the boolean column that marks a deleted row for good, or null when the table has none
     */
    VersionedUpsert(String table, List<Column> keys, List<Column> values, List<Column> earliest, Column version,
            Column tombstone) {
        this.table = table;
        this.keys = List.copyOf(keys);
        this.values = List.copyOf(values);
        this.earliest = List.copyOf(earliest);
        this.version = version;
        this.tombstone = tombstone;
    }

    /** Every parameter in bind order: values, earliest-value columns, version, tombstone, then the key. */
    List<Column> columns() {
        List<Column> all = new ArrayList<>(values);
        all.addAll(earliest);
        all.add(version);
        if (tombstone != null) {
            all.add(tombstone);
        }
        all.addAll(keys);
        return all;
    }

    /** The statement that writes {@code rows} rows, each with a key of its own. */
    String sql(SqlDialect dialect, int rows) {
        return dialect == SqlDialect.POSTGRESQL ? insertOnConflict(rows) : merge(rows);
    }

    private String insertOnConflict(int rows) {
        String names = join(columns(), Column::name);
        return "INSERT INTO " + table + " (" + names + ") VALUES " + repeat("(" + join(columns(), c -> "?") + ")", rows)
                + " ON CONFLICT (" + join(keys, Column::name) + ") DO UPDATE SET " + updates(table, "EXCLUDED")
                + " WHERE " + condition(table, "EXCLUDED");
    }

    private String merge(int rows) {
        String names = join(columns(), Column::name);
        return "MERGE INTO " + table + " t USING (VALUES "
                + repeat("(" + join(columns(), c -> "CAST(? AS " + c.type() + ")") + ")", rows) + ") s(" + names
                + ") ON " + join(keys, c -> "t." + c.name() + " = s." + c.name(), " AND ")
                + " WHEN MATCHED AND " + condition("t", "s") + " THEN UPDATE SET " + updates("t", "s")
                + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES (" + join(columns(), c -> "s." + c.name())
                + ")";
    }

    /**
     * When a stored row takes something of the arriving one: a newer version unless the stored row is a tombstone, a
     * tombstone, or an earlier value of an earliest-value column (which even a tombstone takes).
     */
    private String condition(String stored, String arriving) {
        StringJoiner takes = new StringJoiner(" OR ");
        takes.add(takesValues(stored, arriving));
        if (tombstone != null) {
            takes.add(arriving + "." + tombstone.name());
        }
        for (Column c : earliest) {
            takes.add(arriving + "." + c.name() + " < " + stored + "." + c.name());
        }
        return takes.toString();
    }

    /** When the arriving row's values replace the stored ones: it is newer, and the stored row no tombstone. */
    private String takesValues(String stored, String arriving) {
        String newer = stored + "." + version.name() + " < " + arriving + "." + version.name();
        return tombstone == null ? newer : "(NOT " + stored + "." + tombstone.name() + " AND " + newer + ")";
    }

    private String updates(String stored, String arriving) {
        String takesValues = takesValues(stored, arriving);
        StringJoiner set = new StringJoiner(", ");
        for (Column c : values) {
            set.add(c.name() + " = CASE WHEN " + takesValues + " THEN " + arriving + "." + c.name() + " ELSE " + stored
                    + "." + c.name() + " END");
        }
        for (Column c : earliest) {
            set.add(c.name() + " = LEAST(" + stored + "." + c.name() + ", " + arriving + "." + c.name() + ")");
        }
        set.add(version.name() + " = GREATEST(" + stored + "." + version.name() + ", " + arriving + "."
                + version.name() + ")");
        if (tombstone != null) {
            set.add(tombstone.name() + " = " + stored + "." + tombstone.name() + " OR " + arriving + "."
                    + tombstone.name());
        }
        return set.toString();
    }

    private static String repeat(String row, int rows) {
        StringJoiner all = new StringJoiner(", ");
        for (int i = 0; i < rows; i++) {
            all.add(row);
        }
        return all.toString();
    }

    private static String join(List<Column> columns, Function<Column, String> each) {
        return join(columns, each, ", ");
    }

    private static String join(List<Column> columns, Function<Column, String> each, String separator) {
        StringJoiner joined = new StringJoiner(separator);
        columns.forEach(c -> joined.add(each.apply(c)));
        return joined.toString();
    }
}

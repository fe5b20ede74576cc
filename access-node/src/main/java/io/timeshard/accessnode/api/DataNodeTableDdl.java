package io.timeshard.accessnode.api;

import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.Identifiers;
import java.util.List;

/**
 * The DDL that creates a distributed hypertable's root on a data node: the same schema, name and
 * columns as on the access node, range-partitioned by the time column (chunks are partitions of it,
 * or of a per-time-slice partition sub-partitioned by the space hash), with its CHECK constraints and
 * indexes. Column defaults that call {@code nextval()} stay on the access node, where INSERTs are
 * evaluated, since the sequence does not exist on the data node.
 *
 * @param schema  schema name
 * @param table   table name
 * @param columns the columns in attribute order
 * @param checks  CHECK constraint definitions as {@code pg_get_constraintdef} prints them
 * @param indexes index definitions as {@code pg_get_indexdef} prints them (same schema and table)
 * @param timeColumn the time dimension's column
 */
record DataNodeTableDdl(String schema, String table, List<Column> columns, List<String> checks, List<String> indexes,
                        String timeColumn) {

    /** @return the DDL as one script */
    String sql() {
        String q = Identifiers.quote(schema) + "." + Identifiers.quote(table);
        StringBuilder sb = new StringBuilder("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema) + ";\nCREATE TABLE " + q + " (");
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (i > 0) sb.append(", ");
            sb.append(Identifiers.quote(c.name())).append(' ').append(c.typeName());
            if (c.notNull() || c.name().equals(timeColumn)) sb.append(" NOT NULL");
            if (c.defaultExpr() != null && !c.defaultExpr().contains("nextval(")) sb.append(" DEFAULT ").append(c.defaultExpr());
        }
        for (String check : checks) sb.append(", ").append(check);
        sb.append(") PARTITION BY RANGE (").append(Identifiers.quote(timeColumn)).append(");\n");
        for (String idx : indexes) sb.append(idx).append(";\n");
        return sb.toString();
    }

    /** @return TimescaleDB's default indexes: {@code (time DESC)} and, with a space column, {@code (space, time DESC)} */
    static List<String> defaultIndexes(String schema, String table, String timeColumn, String spaceColumn) {
        String q = Identifiers.quote(schema) + "." + Identifiers.quote(table);
        String time = "CREATE INDEX " + Identifiers.quote(truncate(table + "_" + timeColumn + "_idx")) + " ON " + q
                + " (" + Identifiers.quote(timeColumn) + " DESC)";
        if (spaceColumn == null) return List.of(time);
        return List.of(time, "CREATE INDEX " + Identifiers.quote(truncate(table + "_" + spaceColumn + "_" + timeColumn + "_idx"))
                + " ON " + q + " (" + Identifiers.quote(spaceColumn) + ", " + Identifiers.quote(timeColumn) + " DESC)");
    }

    private static String truncate(String s) {
        return s.length() <= 63 ? s : s.substring(0, 63);
    }
}

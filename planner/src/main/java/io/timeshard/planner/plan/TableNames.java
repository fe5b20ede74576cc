package io.timeshard.planner.plan;

import java.util.Locale;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;

/**
 * How the statement names its only relation (table, optional schema, optional alias), to resolve
 * qualified column references such as {@code c.time} or {@code conditions.time}. Immutable.
 */
record TableNames(String schema, String table, String alias) {
    static TableNames of(Table t) {
        String alias = t.getAlias() == null ? null : identifier(t.getAlias().getName());
        return new TableNames(t.getSchemaName() == null ? null : identifier(t.getSchemaName()), identifier(t.getName()), alias);
    }

    /** @return the unquoted column name of {@code c}, after checking its qualifier names this relation */
    String columnName(Column c) {
        checkQualifier(c.getTable());
        return identifier(c.getColumnName());
    }

    /** Throws {@link Declined} unless {@code t} (a column's qualifier, possibly null or empty) names this relation. */
    void checkQualifier(Table t) {
        if (t == null || t.getName() == null) return;
        String qualifier = identifier(t.getName());
        boolean matches = alias != null ? qualifier.equals(alias) && t.getSchemaName() == null
                : qualifier.equals(table) && (t.getSchemaName() == null || identifier(t.getSchemaName()).equals(schema));
        if (!matches) throw new Declined("qualifier " + t + " names no relation of the statement");
    }

    /** @return a PostgreSQL identifier as written: unquoted names fold to lower case, quoted ones keep their case */
    static String identifier(String written) {
        if (written.length() >= 2 && written.startsWith("\"") && written.endsWith("\"")) {
            return written.substring(1, written.length() - 1).replace("\"\"", "\"");
        }
        return written.toLowerCase(Locale.ROOT);
    }
}

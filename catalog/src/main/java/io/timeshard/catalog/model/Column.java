package io.timeshard.catalog.model;

import java.util.Objects;

/**
 * A column of a hypertable as PostgreSQL describes it.
 *
 * @param name     column name, never null
 * @param typeName the type as {@code format_type(atttypid, atttypmod)} prints it, e.g.
 *                 {@code timestamp with time zone}, never null
 * @param typeOid  the type's OID
 * @param notNull  true when the column has a NOT NULL constraint
 * @param defaultExpr the default expression as {@code pg_get_expr} prints it, or null
 */
public record Column(String name, String typeName, int typeOid, boolean notNull, String defaultExpr) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(typeName, "typeName");
    }
}

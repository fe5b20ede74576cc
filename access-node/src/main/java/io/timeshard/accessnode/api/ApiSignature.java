package io.timeshard.accessnode.api;

import io.timeshard.accessnode.wire.ColumnDescription;
import java.util.List;

/**
 * The SQL signature of a multi-node API function as TimescaleDB 2.13 declares it
 * (reference/timescaledb-2.13-api.md): parameter names, types and defaults, and result columns.
 *
 * @param name       function name
 * @param parameters parameters in declaration order
 * @param result     result columns: one for a scalar function, several for {@code RETURNS TABLE}
 * @param composite  true when the function returns a row type (shown as a record in {@code SELECT f(…)})
 * @param procedure  true for a procedure (called with CALL, no result)
 */
record ApiSignature(String name, List<Param> parameters, List<ColumnDescription> result, boolean composite, boolean procedure) {
    /**
     * One parameter.
     *
     * @param name         parameter name as TimescaleDB spells it
     * @param type         PostgreSQL type the argument is cast to ({@code regclass}, {@code name}, …); the
     *                     pseudo-type {@code any} keeps the argument's own type
     * @param defaultValue the default as text, or null for SQL NULL; {@link #REQUIRED} when there is none
     */
    record Param(String name, String type, String defaultValue) {}

    /** Marker default of a parameter without default. */
    static final String REQUIRED = new String("<required>");

    static Param required(String name, String type) {
        return new Param(name, type, REQUIRED);
    }

    static Param optional(String name, String type, String defaultValue) {
        return new Param(name, type, defaultValue);
    }

    static ColumnDescription col(String name, int oid, int size) {
        return ColumnDescription.of(name, oid, (short) size);
    }

    static final int BOOL = 16, NAME = 19, INT8 = 20, INT4 = 23, TEXT = 25, RECORD = 2249, VOID = 2278;
}

package io.timeshard.accessnode.wire;

import java.util.Objects;

/**
 * One field of a RowDescription message (PostgreSQL documentation, "Message Formats" →
 * RowDescription). Immutable; thread-safe.
 *
 * @param name         column label, never null
 * @param tableOid     OID of the source table, 0 if none (0 is safest: a nonzero value makes
 *                     pgjdbc query pg_attribute)
 * @param columnAttr   attribute number in that table, 0 if none
 * @param typeOid      data type OID (int4 23, text 25, …); never 0 or 705 (unknown)
 * @param typeSize     pg_type.typlen in bytes, negative for variable width (-1 varlena, -2 cstring)
 * @param typeModifier pg_attribute.atttypmod, -1 when none (varchar(n) is n+4)
 * @param format       0 text, 1 binary; 0 in the reply to Describe of a statement
 */
public record ColumnDescription(String name, int tableOid, short columnAttr, int typeOid, short typeSize,
                                int typeModifier, short format) {
    /** @throws NullPointerException when a reference component is null */
    public ColumnDescription {
        Objects.requireNonNull(name, "name");
    }

    /** A text-format column with no source table and no type modifier. */
    public static ColumnDescription of(String name, int typeOid, short typeSize) {
        return new ColumnDescription(name, 0, (short) 0, typeOid, typeSize, -1, (short) 0);
    }
}

package io.timeshard.catalog.partitioning;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The column types Timeshard can partition on without asking PostgreSQL: their type OIDs
 * ({@code pg_type.dat}), the name {@code format_type()} prints, and the SQL hash function of the
 * type's default hash operator class ({@code pg_amproc.dat}), which TimescaleDB's
 * {@code get_partition_hash} calls through the type cache.
 */
public enum ColumnType {
    BOOL(16, "boolean", "hashchar", false),
    NAME(19, "name", "hashname", false),
    INT8(20, "bigint", "hashint8", true),
    INT2(21, "smallint", "hashint2", true),
    INT4(23, "integer", "hashint4", true),
    TEXT(25, "text", "hashtext", false),
    OID(26, "oid", "hashoid", false),
    FLOAT4(700, "real", "hashfloat4", false),
    FLOAT8(701, "double precision", "hashfloat8", false),
    BPCHAR(1042, "bpchar", "hashbpchar", false),
    VARCHAR(1043, "character varying", "hashtext", false),
    DATE(1082, "date", "hashint4", true),
    TIMESTAMP(1114, "timestamp without time zone", "timestamp_hash", true),
    TIMESTAMPTZ(1184, "timestamp with time zone", "timestamp_hash", true),
    UUID(2950, "uuid", "uuid_hash", false);

    /** {@code character varying(10)}, {@code character(3)}, {@code timestamp(6) with time zone}. */
    private static final Pattern TYPMOD = Pattern.compile("^([a-z ]+?)\\((\\d+)\\)( with(out)? time zone)?$");

    private final int oid;
    private final String sqlName;
    private final String hashFunction;
    private final boolean timeDimension;

    ColumnType(int oid, String sqlName, String hashFunction, boolean timeDimension) {
        this.oid = oid;
        this.sqlName = sqlName;
        this.hashFunction = hashFunction;
        this.timeDimension = timeDimension;
    }

    /** @return the type's OID in {@code pg_type} */
    public int oid() { return oid; }

    /**
     * @return the name {@code format_type(oid, -1)} prints, usable in a cast without imposing a
     *         length, e.g. {@code timestamp with time zone}, {@code bpchar} (not {@code character},
     *         which means {@code character(1)})
     */
    public String sqlName() { return sqlName; }

    /** @return the SQL name of the default hash opclass's function, e.g. {@code hashint4} */
    public String hashFunction() { return hashFunction; }

    /** @return whether TimescaleDB accepts the type for a time (open) dimension */
    public boolean isTimeDimensionType() { return timeDimension; }

    /**
     * @param pgFormatTypeName a type name as {@link #fromTypeName} takes it; null gives false
     * @return whether it is a timestamp with fewer than six fractional digits ({@code timestamp(3) with
     *         time zone}), whose values PostgreSQL rounds on input
     */
    public static boolean isCoarseTimestamp(String pgFormatTypeName) {
        if (pgFormatTypeName == null) return false;
        Matcher m = TYPMOD.matcher(normalize(pgFormatTypeName));
        return m.matches() && m.group(1).trim().equals("timestamp") && Integer.parseInt(m.group(2)) < 6;
    }

    /** @return the name trimmed, lower-cased, without a {@code pg_catalog.} prefix */
    private static String normalize(String pgFormatTypeName) {
        String n = pgFormatTypeName.trim().toLowerCase(Locale.ROOT);
        return n.startsWith("pg_catalog.") ? n.substring("pg_catalog.".length()) : n;
    }

    /**
     * Finds the type from what {@code format_type()} prints for a column: {@code integer},
     * {@code bigint}, {@code text}, {@code character varying(10)}, {@code character(5)},
     * {@code bpchar}, {@code timestamp with time zone}, {@code timestamp(6) without time zone}; the
     * internal names ({@code int4}, {@code timestamptz}, {@code float8}, …) and a
     * {@code pg_catalog.} prefix are accepted too; case-insensitive.
     *
     * <p>A {@code timestamp(p)} with {@code p < 6} is refused: PostgreSQL rounds such values on
     * input, which the Java parsers do not. A {@code varchar(n)}/{@code character(n)} is accepted;
     * callers must pass values already coerced to the column (PostgreSQL truncates excess trailing
     * spaces and rejects longer values).
     *
     * @param pgFormatTypeName the type name; null gives empty
     * @return the type, or empty when it is not one of these (arrays, domains, {@code "char"},
     *         {@code numeric}, user types…)
     */
    public static Optional<ColumnType> fromTypeName(String pgFormatTypeName) {
        if (pgFormatTypeName == null || isCoarseTimestamp(pgFormatTypeName)) {
            return Optional.empty();
        }
        String n = normalize(pgFormatTypeName);
        Matcher m = TYPMOD.matcher(n);
        if (m.matches()) {
            String base = m.group(1).trim();
            boolean timestamp = base.equals("timestamp");
            if (!timestamp && m.group(3) != null) {
                return Optional.empty();
            }
            n = base + (m.group(3) == null ? "" : m.group(3));
            if (!timestamp && !n.equals("character varying") && !n.equals("character")
                    && !n.equals("varchar") && !n.equals("bpchar") && !n.equals("char")) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(switch (n) {
            case "boolean", "bool" -> BOOL;
            case "name" -> NAME;
            case "bigint", "int8" -> INT8;
            case "smallint", "int2" -> INT2;
            case "integer", "int", "int4" -> INT4;
            case "text" -> TEXT;
            case "oid" -> OID;
            case "real", "float4" -> FLOAT4;
            case "double precision", "float8" -> FLOAT8;
            case "character", "bpchar", "char" -> BPCHAR;
            case "character varying", "varchar" -> VARCHAR;
            case "date" -> DATE;
            case "timestamp without time zone", "timestamp" -> TIMESTAMP;
            case "timestamp with time zone", "timestamptz" -> TIMESTAMPTZ;
            case "uuid" -> UUID;
            default -> null;
        });
    }
}

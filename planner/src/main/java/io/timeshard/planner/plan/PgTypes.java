package io.timeshard.planner.plan;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's type rules for the expressions the fast path takes: type names as {@code format_type}
 * prints them, operator and function result types, the common type of CASE/COALESCE branches
 * ({@code select_common_type}), and the Calcite type that stands for each in the plan. {@code unknown}
 * is the type of a quoted literal not yet resolved by context. Where a rule is not known here the
 * caller declines. Stateless.
 */
public final class PgTypes {
    public static final String UNKNOWN = "unknown";
    public static final String BOOLEAN = "boolean";
    public static final String SMALLINT = "smallint";
    public static final String INTEGER = "integer";
    public static final String BIGINT = "bigint";
    public static final String NUMERIC = "numeric";
    public static final String REAL = "real";
    public static final String DOUBLE = "double precision";
    public static final String TEXT = "text";
    public static final String TIMESTAMPTZ = "timestamp with time zone";
    public static final String TIMESTAMP = "timestamp without time zone";
    public static final String DATE = "date";
    public static final String INTERVAL = "interval";

    private static final List<String> NUMERIC_ORDER = List.of(SMALLINT, INTEGER, BIGINT, NUMERIC, REAL, DOUBLE);
    private static final Pattern WITH_MODIFIER = Pattern.compile("([a-z ]+?)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

    /** Spellings of a cast target → {format_type name, the name PostgreSQL's grammar gives it (output column name)}. */
    private static final Map<String, String[]> CAST_NAMES = Map.ofEntries(
            Map.entry("int", new String[] {INTEGER, "int4"}), Map.entry("integer", new String[] {INTEGER, "int4"}),
            Map.entry("int4", new String[] {INTEGER, "int4"}), Map.entry("bigint", new String[] {BIGINT, "int8"}),
            Map.entry("int8", new String[] {BIGINT, "int8"}), Map.entry("smallint", new String[] {SMALLINT, "int2"}),
            Map.entry("int2", new String[] {SMALLINT, "int2"}), Map.entry("numeric", new String[] {NUMERIC, "numeric"}),
            Map.entry("decimal", new String[] {NUMERIC, "numeric"}), Map.entry("real", new String[] {REAL, "float4"}),
            Map.entry("float4", new String[] {REAL, "float4"}), Map.entry("double precision", new String[] {DOUBLE, "float8"}),
            Map.entry("float8", new String[] {DOUBLE, "float8"}), Map.entry("float", new String[] {DOUBLE, "float8"}),
            Map.entry("text", new String[] {TEXT, "text"}), Map.entry("varchar", new String[] {"character varying", "varchar"}),
            Map.entry("character varying", new String[] {"character varying", "varchar"}),
            Map.entry("boolean", new String[] {BOOLEAN, "bool"}), Map.entry("bool", new String[] {BOOLEAN, "bool"}),
            Map.entry("timestamptz", new String[] {TIMESTAMPTZ, "timestamptz"}),
            Map.entry("timestamp with time zone", new String[] {TIMESTAMPTZ, "timestamptz"}),
            Map.entry("timestamp", new String[] {TIMESTAMP, "timestamp"}),
            Map.entry("timestamp without time zone", new String[] {TIMESTAMP, "timestamp"}),
            Map.entry("date", new String[] {DATE, "date"}), Map.entry("interval", new String[] {INTERVAL, "interval"}));

    private PgTypes() {}

    /** A cast target: its format_type name and the column name PostgreSQL derives from it. */
    public record CastTarget(String type, String columnName) {}

    /** @return the cast target for a type as written ({@code int}, {@code numeric(10, 2)}, {@code varchar(3)}), or null */
    public static CastTarget castTarget(String written) {
        String t = written.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        Matcher m = WITH_MODIFIER.matcher(t);
        if (m.matches()) {
            String[] base = CAST_NAMES.get(m.group(1).trim());
            if (base == null) return null;
            if (base[0].equals(NUMERIC)) {
                String scale = m.group(3) == null ? "0" : m.group(3);
                return new CastTarget("numeric(" + m.group(2) + "," + scale + ")", base[1]);
            }
            if (base[0].equals("character varying") && m.group(3) == null) {
                return new CastTarget("character varying(" + m.group(2) + ")", base[1]);
            }
            return null;
        }
        String[] base = CAST_NAMES.get(t);
        return base == null ? null : new CastTarget(base[0], base[1]);
    }

    /** @return the type without its modifier: {@code numeric(10,2)} → {@code numeric}, {@code character varying(3)} → {@code character varying} */
    public static String base(String type) {
        int paren = type.indexOf('(');
        return paren < 0 ? type : type.substring(0, paren);
    }

    /** @return the position of a numeric type in PostgreSQL's implicit-cast order (smallint … double precision), or -1 */
    public static int numericRank(String type) {
        return NUMERIC_ORDER.indexOf(base(type));
    }

    public static boolean isNumeric(String type) {
        return numericRank(type) >= 0;
    }

    public static boolean isInteger(String type) {
        int r = numericRank(type);
        return r >= 0 && r <= 2;
    }

    public static boolean isFloat(String type) {
        String b = base(type);
        return b.equals(REAL) || b.equals(DOUBLE);
    }

    public static boolean isStringLike(String type) {
        String b = base(type);
        return b.equals(TEXT) || b.equals("character varying") || b.equals(UNKNOWN);
    }

    /** @return the type a client sees for a result column of {@code type} ({@code unknown} literals become text) */
    public static String output(String type) {
        return type.equals(UNKNOWN) ? TEXT : type;
    }

    /**
     * @return the result type of {@code left op right} for {@code + - * / %}, or null when PostgreSQL's
     *         choice is not known here (the caller declines)
     */
    public static String arithmetic(String op, String left, String right) {
        if (left.equals(UNKNOWN) && right.equals(UNKNOWN)) return null;
        if (isNumeric(left) || isNumeric(right)) {
            String l = left.equals(UNKNOWN) ? right : left;
            String r = right.equals(UNKNOWN) ? left : right;
            if (isNumeric(l) && isNumeric(r)) {
                String t = NUMERIC_ORDER.get(Math.max(numericRank(l), numericRank(r)));
                // real with an integer or numeric resolves to the float4/float8 operator (float8 is preferred)
                if (t.equals(REAL) && !base(l).equals(base(r))) t = DOUBLE;
                if (op.equals("%") && isFloat(t)) return null;
                return t;
            }
        }
        return datetimeArithmetic(op, base(left), base(right));
    }

    private static String datetimeArithmetic(String op, String l, String r) {
        boolean lInt = isInteger(l), rInt = isInteger(r);
        return switch (op) {
            case "+" -> {
                if (l.equals(INTERVAL) && isTimeLike(r)) yield plusInterval(r);
                if (r.equals(INTERVAL) && isTimeLike(l)) yield plusInterval(l);
                if (l.equals(DATE) && rInt || lInt && r.equals(DATE)) yield DATE;
                yield null;
            }
            case "-" -> {
                if (r.equals(INTERVAL) && isTimeLike(l)) yield plusInterval(l);
                if (l.equals(DATE) && rInt) yield DATE;
                if (l.equals(DATE) && r.equals(DATE)) yield INTEGER;
                if (l.equals(r) && (l.equals(TIMESTAMPTZ) || l.equals(TIMESTAMP))) yield INTERVAL;
                yield null;
            }
            case "*" -> (l.equals(INTERVAL) && isNumeric(r)) || (isNumeric(l) && r.equals(INTERVAL)) ? INTERVAL : null;
            case "/" -> l.equals(INTERVAL) && isNumeric(r) ? INTERVAL : null;
            default -> null;
        };
    }

    private static boolean isTimeLike(String t) {
        return t.equals(TIMESTAMPTZ) || t.equals(TIMESTAMP) || t.equals(DATE) || t.equals(INTERVAL);
    }

    private static String plusInterval(String t) {
        return t.equals(DATE) ? TIMESTAMP : t;
    }

    /**
     * @return the common type of CASE results or COALESCE arguments ({@code select_common_type}):
     *         unknowns adopt the others' type, all-unknown is text, numeric types widen (smallint … double
     *         precision), text and varchar keep the first; null if mixed otherwise
     */
    public static String common(List<String> types) {
        String result = null;
        for (String t : types) {
            if (t.equals(UNKNOWN)) continue;
            if (result == null || result.equals(t)) {
                result = t;
            } else if (isNumeric(result) && isNumeric(t)) {
                result = NUMERIC_ORDER.get(Math.max(numericRank(result), numericRank(t)));
            } else if (isStringLike(result) && isStringLike(t)) {
                // text and varchar coerce to each other implicitly: the first one stays (typmod dropped if they differ)
                result = base(result);
            } else {
                return null;
            }
        }
        return result == null ? TEXT : result;
    }

    /** @return the Calcite type that stands for a PostgreSQL type in the plan (any other type stands as VARCHAR) */
    public static RelDataType toCalcite(RelDataTypeFactory factory, String type) {
        RelDataType t = switch (base(type)) {
            case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
            case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
            case INTEGER -> factory.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
            case NUMERIC -> factory.createSqlType(SqlTypeName.DECIMAL, 1000, 0);
            case REAL -> factory.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
            case TIMESTAMPTZ -> factory.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
            case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, 6);
            case DATE -> factory.createSqlType(SqlTypeName.DATE);
            default -> factory.createSqlType(SqlTypeName.VARCHAR);
        };
        return factory.createTypeWithNullability(t, true);
    }

    /**
     * @return the PostgreSQL name of a numeric, boolean, date or timestamp Calcite type (for aggregate
     *         states; the inverse of {@link #toCalcite} for those), or null
     */
    public static String fromCalcite(RelDataType type) {
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> BOOLEAN;
            case SMALLINT -> SMALLINT;
            case INTEGER -> INTEGER;
            case BIGINT -> BIGINT;
            case DECIMAL -> NUMERIC;
            case REAL -> REAL;
            case DOUBLE -> DOUBLE;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> TIMESTAMPTZ;
            case TIMESTAMP -> TIMESTAMP;
            case DATE -> DATE;
            default -> null;
        };
    }
}

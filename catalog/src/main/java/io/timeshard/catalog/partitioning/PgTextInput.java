package io.timeshard.catalog.partitioning;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * PostgreSQL 15's text input functions for the scalar types the partitioners hash, returning what the
 * server would store: {@code int2in}/{@code int4in}/{@code int8in} ({@code pg_strtoint16/32/64} in
 * {@code src/backend/utils/adt/numutils.c}), {@code oidin} ({@code uint32in_subr}), {@code boolin}
 * ({@code parse_bool_with_len} in {@code bool.c}), {@code float4in}/{@code float8in}
 * ({@code float.c}) and {@code uuid_in} ({@code string_to_uuid} in {@code uuid.c}).
 *
 * <p>Inputs the server rejects with certainty raise the server's error (22P02 for bad syntax, 22003
 * for out-of-range integers). Float inputs outside the plain decimal forms (hexadecimal, overflow,
 * underflow) raise {@link TimeValues.NotParsed} so that the caller asks the server. Stateless.
 */
final class PgTextInput {
    /** numeric_value_out_of_range; not (yet) in {@link SqlState}. */
    static final String NUMERIC_VALUE_OUT_OF_RANGE = "22003";

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NONZERO_MANTISSA = Pattern.compile("^[+-]?[0.]*[1-9].*");

    private PgTextInput() {}

    static short int2(String s) {
        return (short) integer(s, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
    }

    static int int4(String s) {
        return (int) integer(s, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
    }

    static long int8(String s) {
        return integer(s, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
    }

    /** {@code oidin}: 0..4294967295, or -2147483648..-1 taken modulo 2^32. */
    static int oid(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        int i = 0;
        while (i < end && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = i < end && s.charAt(i) == '-';
        if (i < end && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        if (i == end) {
            throw syntax("oid", s);
        }
        long v = 0;
        for (; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw syntax("oid", s);
            }
            v = v * 10 + (c - '0');
            if (v > 0xffffffffL) {
                throw outOfRange("oid", s);
            }
        }
        if (negative && v > 0x80000000L) {
            throw outOfRange("oid", s);
        }
        return (int) (negative ? -v : v);
    }

    /** {@code boolin}: t/tr/tru/true, y/ye/yes, on, 1 and f/…/false, n/no, of/off, 0, any case. */
    static boolean bool(String s) {
        String t = stripC(s).toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
            if ("true".startsWith(t) || "yes".startsWith(t) || t.equals("1") || t.equals("on")) {
                return true;
            }
            if ("false".startsWith(t) || "no".startsWith(t) || t.equals("0") || t.equals("of") || t.equals("off")) {
                return false;
            }
        }
        throw syntax("boolean", s);
    }

    static float float4(String s) throws TimeValues.NotParsed {
        String t = floatText(s, "real");
        Float special = special(t);
        if (special != null) {
            return special;
        }
        float f = Float.parseFloat(t);
        checkFloatRange(t, Float.isInfinite(f), f == 0.0f);
        return f;
    }

    static double float8(String s) throws TimeValues.NotParsed {
        String t = floatText(s, "double precision");
        Float special = special(t);
        if (special != null) {
            return special;
        }
        double d = Double.parseDouble(t);
        checkFloatRange(t, Double.isInfinite(d), d == 0.0);
        return d;
    }

    /** {@code uuid_in}: 32 hex digits, an optional '-' after any group of 4, optionally in braces. */
    static UUID uuid(String s) {
        int p = 0;
        boolean braces = s.startsWith("{");
        if (braces) {
            p++;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 16; i++) {
            if (p + 1 >= s.length()) {
                throw syntax("uuid", s);
            }
            int h1 = Character.digit(s.charAt(p), 16);
            int h2 = Character.digit(s.charAt(p + 1), 16);
            if (h1 < 0 || h2 < 0 || s.charAt(p) > 'f' || s.charAt(p + 1) > 'f') { // ASCII hex only
                throw syntax("uuid", s);
            }
            if (i < 8) {
                hi = hi << 8 | (h1 << 4 | h2);
            } else {
                lo = lo << 8 | (h1 << 4 | h2);
            }
            p += 2;
            if (p < s.length() && s.charAt(p) == '-' && i % 2 == 1 && i < 15) {
                p++;
            }
        }
        if (braces) {
            if (p >= s.length() || s.charAt(p) != '}') {
                throw syntax("uuid", s);
            }
            p++;
        }
        if (p != s.length()) {
            throw syntax("uuid", s);
        }
        return new UUID(hi, lo);
    }

    /** C {@code isspace} in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    static PgException syntax(String typeName, String s) {
        return new PgException(SqlState.INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type " + typeName + ": \"" + s + "\"");
    }

    private static PgException outOfRange(String typeName, String s) {
        return new PgException(NUMERIC_VALUE_OUT_OF_RANGE,
                "value \"" + s + "\" is out of range for type " + typeName);
    }

    /**
     * {@code pg_strtoint16/32/64}: optional whitespace, sign, at least one digit, optional whitespace.
     * Digits accumulate negatively so that the type's minimum fits; overflow is reported as soon as it
     * happens, before any trailing garbage is seen, as the server does.
     */
    private static long integer(String s, long min, long max, String typeName) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int firstDigit = i;
        long v = 0;
        for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int digit = s.charAt(i) - '0';
            if (v < (min + digit) / 10) { // v * 10 - digit would pass min
                throw outOfRange(typeName, s);
            }
            v = v * 10 - digit;
        }
        if (i == firstDigit) {
            throw syntax(typeName, s);
        }
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        if (i != n) {
            throw syntax(typeName, s);
        }
        if (!negative && v == min) {
            throw outOfRange(typeName, s);
        }
        long result = negative ? v : -v;
        if (result > max) {
            throw outOfRange(typeName, s);
        }
        return result;
    }

    /** The string without leading and trailing C {@code isspace} characters. */
    static String stripC(String s) {
        int i = 0;
        int end = s.length();
        while (i < end && isSpace(s.charAt(i))) {
            i++;
        }
        while (end > i && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(i, end);
    }

    private static String floatText(String s, String typeName) throws TimeValues.NotParsed {
        String t = stripC(s);
        if (t.isEmpty()) {
            throw syntax(typeName, s);
        }
        return t;
    }

    /** glibc {@code strtod}'s special spellings; null when {@code t} is not one. */
    private static Float special(String t) throws TimeValues.NotParsed {
        String u = t.toLowerCase(Locale.ROOT);
        boolean minus = u.startsWith("-");
        String body = (u.startsWith("-") || u.startsWith("+")) ? u.substring(1) : u;
        switch (body) {
            case "nan":
                return Float.NaN;
            case "inf", "infinity":
                return minus ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            default:
                if (!DECIMAL.matcher(t).matches()) {
                    throw new TimeValues.NotParsed("not a plain decimal float: " + t);
                }
                return null;
        }
    }

    /** Overflow and underflow to zero are errors in PostgreSQL; leave their wording to the server. */
    private static void checkFloatRange(String t, boolean infinite, boolean zero) throws TimeValues.NotParsed {
        if (infinite || (zero && NONZERO_MANTISSA.matcher(t.replaceFirst("[eE].*", "")).matches())) {
            throw new TimeValues.NotParsed("float out of range: " + t);
        }
    }
}

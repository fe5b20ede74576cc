package io.timeshard.catalog.partitioning;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;

/**
 * TimescaleDB's internal time representation ({@code ts_time_value_to_internal} in
 * {@code src/time_utils.c}): microseconds since the Unix epoch (1970-01-01 00:00 UTC) for
 * {@code timestamptz}, {@code timestamp} (its wall-clock value read as if in UTC) and {@code date}
 * (midnight of the day); the value itself for {@code smallint}, {@code integer} and {@code bigint}
 * time columns.
 *
 * <p>{@link #toInternal} parses the common ISO text forms itself and throws {@link NotParsed} for
 * everything else (special values, BC, other DateStyles, time zone names and abbreviations, leap
 * seconds, more than 6 fractional digits, years outside 1..9999), so the caller can ask PostgreSQL
 * ({@code _timescaledb_functions.time_to_internal}) instead. Stateless and thread-safe.
 */
public final class TimeValues {
    /** Microseconds in a day. */
    public static final long MICROS_PER_DAY = 86_400_000_000L;
    /** 2000-01-01 (PostgreSQL's epoch) in days since the Unix epoch. */
    public static final int PG_EPOCH_DAYS = 10_957;
    /** 2000-01-01 00:00 UTC (PostgreSQL's epoch) in microseconds since the Unix epoch. */
    public static final long PG_EPOCH_MICROS = PG_EPOCH_DAYS * MICROS_PER_DAY;
    /** Lowest timestamp PostgreSQL accepts, 4714-11-24 00:00 BC, in µs since the Unix epoch. */
    public static final long MIN_TIMESTAMP_MICROS = -210_866_803_200_000_000L;

    private static final int MAX_TZ_HOURS = 15; // datetime.c's MAX_TZDISP_HOUR

    private TimeValues() {}

    /**
     * A text value {@link TimeValues#toInternal} does not parse with certainty; ask the server.
     * Checked, so that every caller plans the fallback; carries no stack trace.
     */
    public static final class NotParsed extends Exception {
        /** @param reason what was not understood; never null */
        public NotParsed(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Parses the text form of a time value into TimescaleDB's internal representation.
     *
     * <p>Timestamps: {@code YYYY-MM-DD} or {@code YYYY/MM/DD} (1- or 2-digit month and day), then
     * optionally {@code ' '} or {@code 'T'} and {@code HH:MM[:SS[.f{1,6}]]} ({@code 24:00:00} is
     * the next midnight), then optionally (after at most one space) {@code Z} or a numeric offset
     * {@code ±HH}, {@code ±HHMM}, {@code ±HH:MM}, {@code ±HH:MM:SS}. For {@code timestamptz} a text
     * without an offset is local time in {@code sessionZone}; local times skipped or repeated by a
     * transition take the later instant, as PostgreSQL's {@code DetermineTimeZoneOffset}. For
     * {@code timestamp} an offset is ignored, as PostgreSQL does. Dates: {@code YYYY-MM-DD} only.
     * Integers: PostgreSQL's integer input.
     *
     * @param type        a time dimension type ({@link ColumnType#isTimeDimensionType()}); never null
     * @param pgText      the value's text; never null; leading and trailing whitespace is ignored
     * @param sessionZone the session's TimeZone, used only for timestamptz without an offset; may be
     *                    null otherwise
     * @return µs since the Unix epoch for date/timestamp/timestamptz, the value for integers
     * @throws NotParsed  when the text is not in the forms above or names an invalid date or time
     *                    (PostgreSQL then decides: it may accept it, or raise its own error)
     * @throws PgException 22P02/22003 for bad integer text; 0A000 for a type that is not a time type
     */
    public static long toInternal(ColumnType type, String pgText, ZoneId sessionZone) throws NotParsed {
        Objects.requireNonNull(pgText, "pgText");
        return switch (type) {
            case INT2 -> PgTextInput.int2(pgText);
            case INT4 -> PgTextInput.int4(pgText);
            case INT8 -> PgTextInput.int8(pgText);
            case DATE -> {
                Parsed p = Parsed.of(PgTextInput.stripC(pgText));
                if (p.hasTime) {
                    throw new NotParsed("date with a time part: " + pgText);
                }
                yield p.localMicros;
            }
            case TIMESTAMP -> Parsed.of(PgTextInput.stripC(pgText)).localMicros;
            case TIMESTAMPTZ -> {
                Parsed p = Parsed.of(PgTextInput.stripC(pgText));
                if (p.hasOffset) {
                    yield p.localMicros - p.offsetSeconds * 1_000_000L;
                }
                yield p.localMicros - zoneOffsetSeconds(p, Objects.requireNonNull(sessionZone, "sessionZone")) * 1_000_000L;
            }
            default -> throw PgException.notSupported("type " + type.sqlName() + " is not a time type",
                    "Use an integer, date, timestamp or timestamptz column.");
        };
    }

    /**
     * @param internalMicros µs since the Unix epoch, at least {@link #MIN_TIMESTAMP_MICROS}
     * @return a quoted SQL literal in UTC such as {@code '2019-01-01 00:00:00+00'} or
     *         {@code '2019-01-01 00:00:00.5+00'}, with {@code BC} for years before 1, readable by
     *         PostgreSQL under any DateStyle
     * @throws PgException 22008 for a value before PostgreSQL's lowest timestamp
     */
    public static String toPgTimestamptzLiteral(long internalMicros) {
        return "'" + format(internalMicros, "+00") + "'";
    }

    /**
     * @param internalMicros as {@link #toPgTimestamptzLiteral}
     * @return a quoted SQL literal such as {@code '2019-01-01 00:00:00'}
     * @throws PgException 22008 for a value before PostgreSQL's lowest timestamp
     */
    public static String toPgTimestampLiteral(long internalMicros) {
        return "'" + format(internalMicros, "") + "'";
    }

    /**
     * The date literal for a range bound: a value within a day is rounded up to the next midnight, so
     * that {@code d >= bound} and {@code d < bound} select the same dates as the µs bound does.
     *
     * @param internalMicros µs since the Unix epoch, at least {@link #MIN_TIMESTAMP_MICROS}
     * @return a quoted SQL literal such as {@code '2019-01-01'}
     * @throws PgException 22008 for a value before PostgreSQL's lowest timestamp
     */
    public static String toPgDateLiteral(long internalMicros) {
        checkRange(internalMicros);
        LocalDate d = LocalDate.ofEpochDay(Math.ceilDiv(internalMicros, MICROS_PER_DAY));
        return "'" + formatDate(d) + "'";
    }

    private static long zoneOffsetSeconds(Parsed p, ZoneId zone) {
        LocalDateTime ldt = LocalDateTime.ofEpochSecond(Math.floorDiv(p.localMicros, 1_000_000L),
                (int) Math.floorMod(p.localMicros, 1_000_000L) * 1000, ZoneOffset.UTC);
        ZoneRules rules = zone.getRules();
        ZoneOffsetTransition t = rules.getTransition(ldt);
        if (t == null) {
            return rules.getOffset(ldt).getTotalSeconds();
        }
        // In a gap the offset before gives the later instant; in an overlap the offset after does.
        return (t.isGap() ? t.getOffsetBefore() : t.getOffsetAfter()).getTotalSeconds();
    }

    private static void checkRange(long internalMicros) {
        if (internalMicros < MIN_TIMESTAMP_MICROS) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range")
                    .detail("Value " + internalMicros + " µs since 1970 is before 4714-11-24 BC.");
        }
    }

    private static String format(long internalMicros, String offset) {
        checkRange(internalMicros);
        long secs = Math.floorDiv(internalMicros, 1_000_000L);
        int micros = (int) Math.floorMod(internalMicros, 1_000_000L);
        LocalDateTime t = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(40);
        sb.append(formatYmd(t.toLocalDate())).append(' ');
        pad2(sb, t.getHour()).append(':');
        pad2(sb, t.getMinute()).append(':');
        pad2(sb, t.getSecond());
        if (micros != 0) {
            String f = Integer.toString(1_000_000 + micros).substring(1);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
        sb.append(offset);
        if (t.getYear() <= 0) {
            sb.append(" BC");
        }
        return sb.toString();
    }

    private static String formatDate(LocalDate d) {
        return formatYmd(d) + (d.getYear() <= 0 ? " BC" : "");
    }

    /** PostgreSQL's ISO date: the year at least 4 digits, BC years counted from 1 (ISO year 0 = 1 BC). */
    private static String formatYmd(LocalDate d) {
        int year = d.getYear() <= 0 ? 1 - d.getYear() : d.getYear();
        StringBuilder sb = new StringBuilder(12);
        String y = Integer.toString(year);
        sb.append("0".repeat(Math.max(0, 4 - y.length()))).append(y).append('-');
        pad2(sb, d.getMonthValue()).append('-');
        return pad2(sb, d.getDayOfMonth()).toString();
    }

    private static StringBuilder pad2(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** The fields of a parsed text; {@code localMicros} is the wall-clock time read as UTC. */
    private record Parsed(long localMicros, boolean hasTime, boolean hasOffset, int offsetSeconds) {

        static Parsed of(String s) throws NotParsed {
            Cursor c = new Cursor(s);
            int year = c.digits(4, 4);
            char sep = c.peek();
            if (sep != '-' && sep != '/') {
                throw c.fail();
            }
            c.pos++;
            int month = c.digits(1, 2);
            c.expect(sep);
            int day = c.digits(1, 2);
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
                throw c.fail();
            }
            long micros = LocalDate.of(year, month, day).toEpochDay() * MICROS_PER_DAY;
            if (c.atEnd()) {
                return new Parsed(micros, false, false, 0);
            }
            char t = c.next();
            if (t != ' ' && t != 'T') {
                throw c.fail();
            }
            int hour = c.digits(1, 2);
            c.expect(':');
            int minute = c.digits(2, 2);
            int second = 0;
            int fraction = 0;
            if (c.peek() == ':') {
                c.pos++;
                second = c.digits(2, 2);
                if (c.peek() == '.') {
                    c.pos++;
                    int start = c.pos;
                    fraction = c.digits(1, 6);
                    fraction *= (int) Math.pow(10, 6 - (c.pos - start));
                    if (Character.isDigit(c.peek())) {
                        throw c.fail(); // more than 6 digits: PostgreSQL rounds
                    }
                }
            }
            boolean midnight24 = hour == 24 && minute == 0 && second == 0 && fraction == 0;
            if ((hour > 23 && !midnight24) || minute > 59 || second > 59) {
                throw c.fail();
            }
            micros += ((hour * 60L + minute) * 60L + second) * 1_000_000L + fraction;
            if (c.atEnd()) {
                return new Parsed(micros, true, false, 0);
            }
            if (c.peek() == ' ') {
                c.pos++;
            }
            int offset = c.offset();
            if (!c.atEnd()) {
                throw c.fail();
            }
            return new Parsed(micros, true, true, offset);
        }
    }

    /** A position in the text being parsed. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() { return pos >= s.length(); }

        char peek() { return atEnd() ? '\0' : s.charAt(pos); }

        char next() throws NotParsed {
            if (atEnd()) {
                throw fail();
            }
            return s.charAt(pos++);
        }

        void expect(char ch) throws NotParsed {
            if (next() != ch) {
                throw fail();
            }
        }

        int digits(int min, int max) throws NotParsed {
            int start = pos;
            int v = 0;
            while (pos - start < max && pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                v = v * 10 + (s.charAt(pos++) - '0');
            }
            if (pos - start < min) {
                throw fail();
            }
            return v;
        }

        /** {@code Z}, {@code ±HH}, {@code ±HHMM}, {@code ±HH:MM}, {@code ±HH:MM:SS}; east positive. */
        int offset() throws NotParsed {
            char sign = next();
            if (sign == 'Z' || sign == 'z') {
                return 0;
            }
            if (sign != '+' && sign != '-') {
                throw fail();
            }
            int start = pos;
            int h = digits(1, 2);
            int m = 0;
            int sec = 0;
            if (peek() == ':') {
                pos++;
                m = digits(2, 2);
                if (peek() == ':') {
                    pos++;
                    sec = digits(2, 2);
                }
            } else if (pos - start == 2 && Character.isDigit(peek())) {
                m = digits(2, 2);
            }
            if (h > MAX_TZ_HOURS || m > 59 || sec > 59) {
                throw fail();
            }
            int total = (h * 60 + m) * 60 + sec;
            return sign == '-' ? -total : total;
        }

        NotParsed fail() {
            return new NotParsed("not a plain ISO time value at position " + pos + ": \"" + s + "\"");
        }
    }
}

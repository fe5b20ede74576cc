package io.timeshard.planner.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.planner.functions.TimeBucket.Interval;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TimeBucket} gives exactly the answers of sql/time_bucket.sql on a real PostgreSQL 15, and
 * both agree with an independent formula (floor division on epoch microseconds, calendar month
 * arithmetic) where there is one, over thousands of random values: before 2000-01-03 and 1970, BC,
 * across New York's daylight-saving changes, widths from 1 µs to years.
 */
class TimeBucketTest {
    private static final long DAY = TimeBucket.MICROS_PER_DAY;
    private static final long HOUR = 3_600_000_000L;
    private static final long MINUTE = 60_000_000L;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** A width or offset as SQL text and as interval fields. */
    private record Iv(String sql, Interval value) {
        static Iv of(String sql, long months, long days, long micros) {
            return new Iv(sql, new Interval(months, days, micros));
        }
    }

    private static final List<Iv> SUB_MONTH = List.of(
            Iv.of("1 microsecond", 0, 0, 1), Iv.of("1 millisecond", 0, 0, 1000), Iv.of("1 second", 0, 0, 1_000_000),
            Iv.of("7 minutes", 0, 0, 7 * MINUTE), Iv.of("15 minutes", 0, 0, 15 * MINUTE), Iv.of("1 hour", 0, 0, HOUR),
            Iv.of("90 minutes", 0, 0, 90 * MINUTE), Iv.of("24 hours", 0, 0, 24 * HOUR), Iv.of("1 day", 0, 1, 0),
            Iv.of("3 days", 0, 3, 0), Iv.of("1 day 1 hour", 0, 1, HOUR), Iv.of("7 days", 0, 7, 0),
            Iv.of("13 days 00:00:00.000001", 0, 13, 1));
    private static final List<Iv> MONTHS = List.of(
            Iv.of("1 month", 1, 0, 0), Iv.of("3 months", 3, 0, 0), Iv.of("7 months", 7, 0, 0),
            Iv.of("1 year", 12, 0, 0), Iv.of("10 years", 120, 0, 0));
    private static final List<Iv> DAY_WIDTHS = List.of(
            Iv.of("1 day", 0, 1, 0), Iv.of("3 days", 0, 3, 0), Iv.of("7 days", 0, 7, 0), Iv.of("48 hours", 0, 0, 48 * HOUR),
            Iv.of("1 month", 1, 0, 0), Iv.of("5 months", 5, 0, 0), Iv.of("2 years", 24, 0, 0));
    private static final List<Iv> OFFSETS = List.of(
            Iv.of("30 minutes", 0, 0, 30 * MINUTE), Iv.of("-2 hours", 0, 0, -2 * HOUR), Iv.of("1 day", 0, 1, 0),
            Iv.of("1 month", 1, 0, 0), Iv.of("1 day 2 hours", 0, 1, 2 * HOUR), Iv.of("-1 month -12 hours", -1, 0, -12 * HOUR));

    private static EmbeddedPostgres pg;
    private static Connection conn;
    private final Random random = new Random(20240613);

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        conn = pg.getPostgresDatabase().getConnection();
        try (InputStream in = TimeBucketTest.class.getResourceAsStream("/sql/time_bucket.sql")) {
            execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        // exact conversions between µs since the Unix epoch and timestamp, whatever the era
        execute("""
                CREATE SCHEMA tb;
                CREATE FUNCTION tb.ts(bigint) RETURNS timestamp LANGUAGE sql IMMUTABLE STRICT AS $$
                    SELECT TIMESTAMP '1970-01-01' + ($1 / 86400000000)::int * INTERVAL '1 day'
                           + ($1 % 86400000000) * INTERVAL '1 microsecond' $$;
                CREATE FUNCTION tb.us(timestamp) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $$
                    SELECT (EXTRACT(epoch FROM $1) * 1000000)::bigint $$;
                CREATE FUNCTION tb.tz(bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE STRICT AS $$
                    SELECT tb.ts($1) AT TIME ZONE 'UTC' $$;
                CREATE FUNCTION tb.us(timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $$
                    SELECT tb.us($1 AT TIME ZONE 'UTC') $$;
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        conn.close();
        pg.close();
    }

    private static void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    /** Evaluates {@code expression} (a bigint, over bigint {@code x}) for every value, in one query. */
    private static long[] sql(String expression, long[] values) throws SQLException {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        Array array = conn.createArrayOf("bigint", boxed);
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT (" + expression + ")::bigint FROM unnest(?::bigint[]) WITH ORDINALITY AS u(x, i) ORDER BY i")) {
            ps.setArray(1, array);
            long[] out = new long[values.length];
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    out[i] = rs.getLong(1);
                }
            }
            return out;
        }
    }

    private static void assertSame(String expression, long[] values, LongUnaryOperator java) throws SQLException {
        long[] expected = sql(expression, values);
        for (int i = 0; i < values.length; i++) {
            long value = values[i];
            assertEquals(expected[i], java.applyAsLong(value), () -> expression + " at x = " + value + " (" + text(value) + ")");
        }
    }

    private static void assertFormula(long[] values, LongUnaryOperator java, LongUnaryOperator formula, String what) {
        for (long value : values) {
            assertEquals(formula.applyAsLong(value), java.applyAsLong(value), () -> what + " at " + text(value));
        }
    }

    private static String text(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000,
                ZoneOffset.UTC).toString();
    }

    private static long micros(String isoLocalDateTime) {
        LocalDateTime t = LocalDateTime.parse(isoLocalDateTime);
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
    }

    /** Random timestamps, µs: mostly recent, many before 2000-01-03 and 1970, some BC and near DST changes. */
    private long[] timestamps(int n) {
        long[] out = new long[n];
        long[] dst = {micros("2019-03-10T07:00:00"), micros("2019-11-03T06:00:00"), micros("2021-03-14T07:00:00"),
                micros("2021-11-07T06:00:00"), micros("1999-10-31T06:00:00"), micros("2000-01-03T00:00:00")};
        for (int i = 0; i < n; i++) {
            out[i] = switch (i % 6) {
                case 0, 1 -> uniform(micros("1990-01-01T00:00:00"), micros("2030-01-01T00:00:00"));
                case 2 -> uniform(micros("1800-01-01T00:00:00"), micros("2300-01-01T00:00:00"));
                case 3 -> uniform(micros("1900-01-01T00:00:00"), micros("1970-01-01T00:00:00"));
                case 4 -> uniform(micros("-2999-01-01T00:00:00"), micros("1800-01-01T00:00:00"));
                default -> dst[random.nextInt(dst.length)] + uniform(-3 * HOUR, 3 * HOUR) / MINUTE * MINUTE
                        + (random.nextBoolean() ? 0 : random.nextInt(3) - 1);
            };
        }
        return out;
    }

    private long uniform(long from, long to) {
        return from + Math.floorMod(random.nextLong(), to - from);
    }

    // ---- independent formulas --------------------------------------------------------------------

    private static long floorBucket(long value, long period, long origin) {
        BigInteger diff = BigInteger.valueOf(value).subtract(BigInteger.valueOf(origin));
        BigInteger[] qr = diff.divideAndRemainder(BigInteger.valueOf(period));
        BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        return q.multiply(BigInteger.valueOf(period)).add(BigInteger.valueOf(origin)).longValueExact();
    }

    /** First day (epoch days) of the month bucket, counting whole months from the origin's month. */
    private static long monthBucketDay(long epochDay, long months, long originEpochDay) {
        LocalDate d = LocalDate.ofEpochDay(epochDay).withDayOfMonth(1);
        LocalDate o = LocalDate.ofEpochDay(originEpochDay).withDayOfMonth(1);
        long between = java.time.temporal.ChronoUnit.MONTHS.between(o, d);
        return o.plusMonths(Math.floorDiv(between, months) * months).toEpochDay();
    }

    private static long period(Interval w) {
        return w.days() * DAY + w.micros();
    }

    // ---- timestamp and timestamptz ---------------------------------------------------------------

    @Test
    void timestampWithDefaultOriginMatchesSqlAndFloorArithmetic() throws Exception {
        long[] values = timestamps(3000);
        for (Iv w : SUB_MONTH) {
            LongUnaryOperator java = x -> TimeBucket.bucketTimestamp(w.value(), x);
            assertSame("tb.us(time_bucket('" + w.sql() + "', tb.ts(x)))", values, java);
            assertFormula(values, java, x -> floorBucket(x, period(w.value()), TimeBucket.DEFAULT_ORIGIN_MICROS), w.sql());
        }
        for (Iv w : MONTHS) {
            LongUnaryOperator java = x -> TimeBucket.bucketTimestamp(w.value(), x);
            assertSame("tb.us(time_bucket('" + w.sql() + "', tb.ts(x)))", values, java);
            assertFormula(values, java, x -> monthBucketDay(Math.floorDiv(x, DAY), w.value().months(), 10_957) * DAY, w.sql());
        }
    }

    @Test
    void timestampWithOriginsBeforeAndAfterTheValuesMatchesSql() throws Exception {
        long[] values = timestamps(1500);
        for (String origin : List.of("1999-12-31T23:30:00", "1900-01-01T00:00:00.123456", "2100-06-15T12:00:00",
                "-0500-03-01T07:00:00", "1970-01-01T00:00:00")) {
            long o = micros(origin);
            for (Iv w : concat(SUB_MONTH, MONTHS)) {
                LongUnaryOperator java = x -> TimeBucket.bucketTimestamp(w.value(), x, o);
                assertSame("tb.us(time_bucket('" + w.sql() + "', tb.ts(x), tb.ts(" + o + ")))", values, java);
                if (w.value().months() == 0) {
                    assertFormula(values, java, x -> floorBucket(x, period(w.value()), o), w.sql() + " from " + origin);
                } else {
                    assertFormula(values, java, x -> monthBucketDay(Math.floorDiv(x, DAY), w.value().months(),
                            Math.floorDiv(o, DAY)) * DAY, w.sql() + " from " + origin);
                }
            }
        }
    }

    @Test
    void timestamptzIsBucketedInUtcWhateverTheSessionZone() throws Exception {
        long[] values = timestamps(1500);
        execute("SET TimeZone = 'America/New_York'");
        try {
            for (Iv w : concat(SUB_MONTH, MONTHS)) {
                assertSame("tb.us(time_bucket('" + w.sql() + "', tb.tz(x)))", values, x -> TimeBucket.bucketTimestamp(w.value(), x));
                long o = micros("2001-02-03T04:05:06");
                assertSame("tb.us(time_bucket('" + w.sql() + "', tb.tz(x), tb.tz(" + o + ")))", values,
                        x -> TimeBucket.bucketTimestamp(w.value(), x, o));
            }
        } finally {
            execute("SET TimeZone = 'UTC'");
        }
    }

    @Test
    void timestampOffsetMatchesSql() throws Exception {
        long[] values = timestamps(1500);
        for (Iv w : concat(SUB_MONTH, MONTHS)) {
            for (Iv off : OFFSETS) {
                assertSame("tb.us(time_bucket('" + w.sql() + "', tb.ts(x), '" + off.sql() + "'::interval))", values,
                        x -> TimeBucket.bucketTimestampOffset(w.value(), x, off.value()));
            }
        }
    }

    @Test
    void timestamptzOffsetIsAppliedInTheSessionZoneLikeSql() throws Exception {
        long[] values = timestamps(1500);
        for (String zone : List.of("UTC", "America/New_York")) {
            execute("SET TimeZone = '" + zone + "'");
            try {
                for (Iv w : concat(SUB_MONTH, MONTHS)) {
                    for (Iv off : OFFSETS) {
                        assertSame("tb.us(time_bucket('" + w.sql() + "', tb.tz(x), '" + off.sql() + "'::interval))", values,
                                x -> TimeBucket.bucketTimestamptzOffset(w.value(), x, off.value(), ZoneId.of(zone)));
                    }
                }
            } finally {
                execute("SET TimeZone = 'UTC'");
            }
        }
    }

    @Test
    void inANamedZoneMatchesSqlAcrossDaylightSavingChanges() throws Exception {
        long[] values = timestamps(1200);
        long origin = micros("2000-01-01T05:30:00");
        for (String zone : List.of("America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe")) {
            ZoneId z = ZoneId.of(zone);
            for (Iv w : concat(SUB_MONTH, MONTHS)) {
                assertSame("tb.us(time_bucket('" + w.sql() + "', tb.tz(x), '" + zone + "'))", values,
                        x -> TimeBucket.bucketTimestamptz(w.value(), x, z, null, null));
                assertSame("tb.us(time_bucket('" + w.sql() + "', tb.tz(x), '" + zone + "', tb.tz(" + origin + ")))", values,
                        x -> TimeBucket.bucketTimestamptz(w.value(), x, z, origin, null));
                for (Iv off : List.of(OFFSETS.get(1), OFFSETS.get(4), OFFSETS.get(5))) {
                    assertSame("tb.us(time_bucket('" + w.sql() + "', tb.tz(x), '" + zone + "', \"offset\" => '" + off.sql() + "'))",
                            values, x -> TimeBucket.bucketTimestamptz(w.value(), x, z, null, off.value()));
                    assertSame("tb.us(time_bucket('" + w.sql() + "', tb.tz(x), '" + zone + "', tb.tz(" + origin + "), '"
                            + off.sql() + "'))", values, x -> TimeBucket.bucketTimestamptz(w.value(), x, z, origin, off.value()));
                }
            }
        }
    }

    @Test
    void ambiguousAndMissingLocalBucketStartsResolveAsPostgresDoes() throws Exception {
        // 01:30 on 2021-11-07 happens twice in New York (PostgreSQL takes the later, EST); 02:30 on
        // 2021-03-14 never happens (PostgreSQL takes the offset before the change, giving 03:30 EDT)
        Interval halfHour = Interval.ofMicros(30 * MINUTE);
        long[] values = {micros("2021-11-07T05:45:00"), micros("2021-11-07T06:45:00"), micros("2021-03-14T07:10:00")};
        assertSame("tb.us(time_bucket('30 minutes', tb.tz(x), 'America/New_York'))", values,
                x -> TimeBucket.bucketTimestamptz(halfHour, x, NEW_YORK, null, null));
        assertEquals(micros("2021-11-07T06:30:00"),
                TimeBucket.bucketTimestamptz(halfHour, micros("2021-11-07T05:45:00"), NEW_YORK, null, null));
        assertEquals(micros("2021-03-14T07:30:00"),
                TimeBucket.bucketTimestamptz(Interval.ofMicros(HOUR), micros("2021-03-14T07:10:00"), NEW_YORK, null,
                        Interval.ofMicros(30 * MINUTE)));
    }

    // ---- date ------------------------------------------------------------------------------------

    @Test
    void dateMatchesSqlAndCalendarArithmetic() throws Exception {
        long[] days = new long[3000];
        for (int i = 0; i < days.length; i++) {
            days[i] = i % 3 == 0 ? uniform(-1_800_000, 200_000) : uniform(-40_000, 40_000);
        }
        for (Iv w : DAY_WIDTHS) {
            LongUnaryOperator java = x -> TimeBucket.bucketDate(w.value(), x);
            assertSame("time_bucket('" + w.sql() + "', DATE '1970-01-01' + x::int) - DATE '1970-01-01'", days, java);
            if (w.value().months() == 0) {
                assertFormula(days, java, x -> floorBucket(x, period(w.value()) / DAY, TimeBucket.DEFAULT_ORIGIN_DAYS), w.sql());
            } else {
                assertFormula(days, java, x -> monthBucketDay(x, w.value().months(), 10_957), w.sql());
            }
            long origin = 7_000;
            assertSame("time_bucket('" + w.sql() + "', DATE '1970-01-01' + x::int, DATE '1970-01-01' + " + origin + ") - DATE '1970-01-01'",
                    days, x -> TimeBucket.bucketDate(w.value().months(), w.value().days(), w.value().micros(), x, origin));
            for (Iv off : OFFSETS) {
                assertSame("time_bucket('" + w.sql() + "', DATE '1970-01-01' + x::int, '" + off.sql() + "'::interval) - DATE '1970-01-01'",
                        days, x -> TimeBucket.bucketDateOffset(w.value(), x, off.value()));
            }
        }
    }

    // ---- integers --------------------------------------------------------------------------------

    @Test
    void integersMatchSqlAndFloorArithmeticIncludingNegativeValues() throws Exception {
        long[] values = new long[4000];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 4) {
                case 0 -> random.nextInt(2001) - 1000;
                case 1 -> random.nextInt();
                case 2 -> random.nextLong() / 4;
                default -> random.nextInt(65536) - 32768;
            };
        }
        for (long width : new long[] {1, 2, 7, 10, 60, 1000, 86_400_000_000L, 1L << 40}) {
            for (long offset : new long[] {0, 3, -7, 1_000_000_007L}) {
                assertSame("time_bucket(" + width + "::bigint, x, " + offset + "::bigint)", values,
                        x -> TimeBucket.bucketInteger(width, x, offset));
                assertFormula(values, x -> TimeBucket.bucketInteger(width, x, offset),
                        x -> floorBucket(x, width, offset % width), "width " + width + " offset " + offset);
                if (width <= Integer.MAX_VALUE && Math.abs(offset) <= Integer.MAX_VALUE) {
                    long[] ints = filter(values, Integer.MIN_VALUE + 2 * width, Integer.MAX_VALUE - width);
                    assertSame("time_bucket(" + width + ", x::int, " + offset + ")", ints,
                            x -> TimeBucket.bucketInt32((int) width, (int) x, (int) offset));
                }
                if (width <= Short.MAX_VALUE && Math.abs(offset) <= Short.MAX_VALUE) {
                    long[] shorts = filter(values, Short.MIN_VALUE + 2 * width, Short.MAX_VALUE - width);
                    assertSame("time_bucket(" + width + "::smallint, x::smallint, " + offset + "::smallint)", shorts,
                            x -> TimeBucket.bucketInt16((short) width, (short) x, (short) offset));
                }
            }
        }
    }

    @Test
    void integerOverflowFailsWhereSqlFails() throws Exception {
        long[][] cases = {{10, -32768, 0}, {10, -32765, 5}, {10, -32758, 0}, {10, 32767, -3}, {7, -32767, 0}};
        for (long[] c : cases) {
            String call = "SELECT time_bucket(" + c[0] + "::smallint, (" + c[1] + ")::smallint, (" + c[2] + ")::smallint)";
            String sqlState = null;
            long sqlValue = 0;
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(call)) {
                rs.next();
                sqlValue = rs.getLong(1);
            } catch (SQLException e) {
                sqlState = e.getSQLState();
            }
            if (sqlState == null) {
                assertEquals(sqlValue, TimeBucket.bucketInt16((short) c[0], (short) c[1], (short) c[2]), call);
            } else {
                PgException e = assertThrows(PgException.class,
                        () -> TimeBucket.bucketInt16((short) c[0], (short) c[1], (short) c[2]), call);
                assertEquals(sqlState, e.sqlState(), call);
            }
        }
        assertEquals("22003", assertThrows(PgException.class,
                () -> TimeBucket.bucketInteger(10, Long.MIN_VALUE + 1, 0)).sqlState());
        assertEquals(Long.MIN_VALUE, TimeBucket.bucketInteger(8, Long.MIN_VALUE + 1, 0));
    }

    // ---- errors and special values ---------------------------------------------------------------

    @Test
    void widthErrorsMatchSqlStateAndMessage() throws Exception {
        record Case(String call, Runnable java) {}
        List<Case> cases = List.of(
                new Case("time_bucket('0 s', LOCALTIMESTAMP)", () -> TimeBucket.bucketTimestamp(0, 0, 0, 0)),
                new Case("time_bucket('1 day -25 hours', LOCALTIMESTAMP)", () -> TimeBucket.bucketTimestamp(0, 1, -25 * HOUR, 0)),
                new Case("time_bucket('-2 months', LOCALTIMESTAMP)", () -> TimeBucket.bucketTimestamp(-2, 0, 0, 0)),
                new Case("time_bucket('1 month 1 hour', LOCALTIMESTAMP)", () -> TimeBucket.bucketTimestamp(1, 0, HOUR, 0)),
                new Case("time_bucket('1 month 1 day', CURRENT_DATE)", () -> TimeBucket.bucketDate(1, 1, 0, 0)),
                new Case("time_bucket('23 hours', CURRENT_DATE)", () -> TimeBucket.bucketDate(0, 0, 23 * HOUR, 0)),
                new Case("time_bucket('0 days', CURRENT_DATE)", () -> TimeBucket.bucketDate(0, 0, 0, 0)),
                new Case("time_bucket('1 day 1 second', CURRENT_DATE)", () -> TimeBucket.bucketDate(0, 1, 1_000_000, 0)),
                new Case("time_bucket(0::bigint, 1::bigint)", () -> TimeBucket.bucketInteger(0, 1)),
                new Case("time_bucket('1 week', TIMESTAMP '4714-11-24 BC')",
                        () -> TimeBucket.bucketTimestamp(0, 7, 0, TimeBucket.MIN_TIMESTAMP_MICROS)));
        for (Case c : cases) {
            SQLException expected = assertThrows(SQLException.class, () -> execute("SELECT " + c.call()), c.call());
            PgException actual = assertThrows(PgException.class, c.java()::run, c.call());
            assertEquals(expected.getSQLState(), actual.sqlState(), c.call());
            assertEquals(expected.getMessage().lines().findFirst().orElseThrow(), "ERROR: " + actual.getMessage(), c.call());
        }
    }

    @Test
    void infinityIsReturnedUnchanged() {
        for (long inf : new long[] {Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertEquals(inf, TimeBucket.bucketTimestamp(0, 0, HOUR, inf));
            assertEquals(inf, TimeBucket.bucketTimestamp(1, 0, 0, inf));
            assertEquals(inf, TimeBucket.bucketDate(0, 7, 0, inf));
            assertEquals(inf, TimeBucket.bucketDateOffset(new Interval(0, 7, 0), inf, new Interval(0, 1, 0)));
            assertEquals(inf, TimeBucket.bucketTimestamptz(new Interval(0, 1, 0), inf, NEW_YORK, null, null));
            assertEquals(inf, TimeBucket.bucketTimestamptzOffset(new Interval(0, 1, 0), inf, new Interval(0, 1, 0), NEW_YORK));
        }
    }

    @Test
    void documentedExamples() {
        assertEquals(micros("2020-01-01T00:05:00"), TimeBucket.bucketTimestamp(0, 0, 5 * MINUTE, micros("2020-01-01T00:07:00")));
        assertEquals(LocalDate.parse("2019-12-30").toEpochDay(), TimeBucket.bucketDate(0, 7, 0, LocalDate.parse("2020-01-01").toEpochDay()));
        assertEquals(LocalDate.parse("2020-02-01").toEpochDay(), TimeBucket.bucketDate(1, 0, 0, LocalDate.parse("2020-02-15").toEpochDay()));
        assertEquals(-10, TimeBucket.bucketInteger(10, -3));
        assertEquals(micros("2020-01-01T00:02:30"), TimeBucket.bucketTimestampOffset(Interval.ofMicros(5 * MINUTE),
                micros("2020-01-01T00:07:00"), Interval.ofMicros(150_000_000L)));
    }

    private static long[] filter(long[] values, long min, long max) {
        return java.util.Arrays.stream(values).filter(v -> v >= min && v <= max).toArray();
    }

    private static List<Iv> concat(List<Iv> a, List<Iv> b) {
        List<Iv> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}

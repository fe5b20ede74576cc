package io.timeshard.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sql/time_bucket.sql on a real PostgreSQL 15: TimescaleDB 2.13's signatures and attributes, the
 * documented examples, errors with their SQLSTATE, inlining, and agreement with PostgreSQL's own
 * date_trunc where the two must agree. The Java twin is checked against these functions in the
 * planner's TimeBucketTest.
 */
class TimeBucketSqlTest {
    private static EmbeddedPostgres pg;
    private static Connection conn;

    @BeforeAll
    static void startAndInstallTwice() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        conn = pg.getPostgresDatabase().getConnection();
        install();
        install();
        execute("CREATE TABLE samples (ts timestamptz, t timestamp, d date, i int, s smallint, b bigint)");
    }

    @AfterAll
    static void stop() throws Exception {
        conn.close();
        pg.close();
    }

    private static void install() throws Exception {
        try (InputStream in = TimeBucketSqlTest.class.getResourceAsStream("/sql/time_bucket.sql")) {
            execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    private static String scalar(String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> column(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void assertBucket(String expected, String call) throws SQLException {
        assertEquals(expected, scalar("SELECT (" + call + ")::text"), call);
    }

    private static void assertError(String sqlState, String message, String call) {
        SQLException e = assertThrows(SQLException.class, () -> scalar("SELECT (" + call + ")::text"), call);
        assertEquals(sqlState, e.getSQLState(), call + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("ERROR: " + message), call + ": " + e.getMessage());
    }

    @Test
    void installingAgainOverExistingFunctionsSucceeds() throws Exception {
        install();
        assertBucket("2020-01-01 00:05:00", "time_bucket('5 minutes', TIMESTAMP '2020-01-01 00:07:00')");
    }

    @Test
    void definesTimescaleDbSignaturesAndAttributes() throws Exception {
        execute("SET TimeZone = 'UTC'");
        List<String> rows = column("""
                SELECT pg_get_function_arguments(p.oid) || ' -> ' || pg_get_function_result(p.oid)
                       || ' ' || p.provolatile::text || p.proparallel::text || CASE WHEN p.proisstrict THEN ' strict' ELSE '' END
                FROM pg_proc p WHERE p.proname = 'time_bucket' AND p.pronamespace = 'public'::regnamespace
                ORDER BY 1""");
        assertEquals(List.of(
                "bucket_width bigint, ts bigint -> bigint is strict",
                "bucket_width bigint, ts bigint, \"offset\" bigint -> bigint is strict",
                "bucket_width integer, ts integer -> integer is strict",
                "bucket_width integer, ts integer, \"offset\" integer -> integer is strict",
                "bucket_width interval, ts date -> date is",
                "bucket_width interval, ts date, \"offset\" interval -> date is",
                "bucket_width interval, ts date, origin date -> date is",
                "bucket_width interval, ts timestamp with time zone -> timestamp with time zone is",
                "bucket_width interval, ts timestamp with time zone, \"offset\" interval -> timestamp with time zone is",
                "bucket_width interval, ts timestamp with time zone, origin timestamp with time zone -> timestamp with time zone is",
                "bucket_width interval, ts timestamp with time zone, timezone text, origin timestamp with time zone DEFAULT NULL::timestamp with time zone, \"offset\" interval DEFAULT NULL::interval -> timestamp with time zone is",
                "bucket_width interval, ts timestamp without time zone -> timestamp without time zone is",
                "bucket_width interval, ts timestamp without time zone, \"offset\" interval -> timestamp without time zone is",
                "bucket_width interval, ts timestamp without time zone, origin timestamp without time zone -> timestamp without time zone is",
                "bucket_width smallint, ts smallint -> smallint is strict",
                "bucket_width smallint, ts smallint, \"offset\" smallint -> smallint is strict"), rows);
    }

    @Test
    void documentedExamples() throws Exception {
        execute("SET TimeZone = 'UTC'");
        assertBucket("2020-01-01 00:05:00", "time_bucket('5 minutes', TIMESTAMP '2020-01-01 00:07:00')");
        assertBucket("2020-01-01 00:05:00+00", "time_bucket('5 minutes', TIMESTAMPTZ '2020-01-01 00:07:00+00')");
        assertBucket("2019-12-30", "time_bucket('1 week', DATE '2020-01-01')");
        assertBucket("2020-02-01", "time_bucket('1 month', DATE '2020-02-15')");
        assertBucket("2020-02-01 00:00:00", "time_bucket('1 month', TIMESTAMP '2020-02-15 13:14:15')");
        assertBucket("2020-01-01 00:00:00+00", "time_bucket('1 year', TIMESTAMPTZ '2020-08-15 13:14:15+00')");
        // "offset": the buckets shift by the offset, here 5-minute buckets starting at :02:30
        assertBucket("2020-01-01 00:07:30", "time_bucket('5 minutes', TIMESTAMP '2020-01-01 00:08:00', '2.5 minutes'::interval)");
        assertBucket("2020-01-01 00:02:30", "time_bucket('5 minutes', TIMESTAMP '2020-01-01 00:07:00', '2.5 minutes'::interval)");
        assertBucket("2019-12-31 23:30:00+00", "time_bucket('1 hour', TIMESTAMPTZ '2020-01-01 00:07:00+00', '-30 minutes'::interval)");
        // "origin": weeks starting on Sunday 2017-12-31, month buckets counting from the origin's month
        assertBucket("2020-01-05 00:00:00", "time_bucket('1 week', TIMESTAMP '2020-01-07 10:00', TIMESTAMP '2017-12-31')");
        assertBucket("2019-12-01", "time_bucket('3 months', DATE '2020-02-15', DATE '2019-12-31')");
        assertBucket("2020-02-01", "time_bucket('1 month', DATE '2020-02-15', DATE '2000-01-15')");
        // "timezone": days in Europe/Berlin start at 23:00 UTC in winter
        assertBucket("2020-01-01 23:00:00+00", "time_bucket('1 day', TIMESTAMPTZ '2020-01-02 12:00+00', 'Europe/Berlin')");
        assertBucket("2020-01-02 01:00:00+00", "time_bucket('1 day', TIMESTAMPTZ '2020-01-02 12:00+00', 'Europe/Berlin', \"offset\" => '2 hours')");
        assertBucket("2020-01-01 22:30:00+00", "time_bucket('1 day', TIMESTAMPTZ '2020-01-02 12:00+00', 'Europe/Berlin', origin => '2000-01-01 23:30+01')");
        assertBucket("2020-01-31 23:00:00+00", "time_bucket('1 month', TIMESTAMPTZ '2020-02-15 12:00+00', 'Europe/Berlin')");
    }

    @Test
    void integersFloorTowardMinusInfinity() throws Exception {
        assertBucket("-10", "time_bucket(10, -3)");
        assertBucket("-10", "time_bucket(10::smallint, (-10)::smallint)");
        assertBucket("0", "time_bucket(10::bigint, 9::bigint)");
        assertBucket("-8", "time_bucket(10, -3, 2)");
        assertBucket("2", "time_bucket(10, 11, 2)");
        assertBucket("-13", "time_bucket(10, -4, 27)"); // offset taken modulo the width
        assertBucket("-9223372036854775808", "time_bucket(8::bigint, (-9223372036854775807)::bigint)");
        assertBucket("32760", "time_bucket(10::smallint, 32767::smallint)");
    }

    @Test
    void timestampsBeforeTheOriginFallInTheBucketBelow() throws Exception {
        assertBucket("1999-12-31 23:55:00", "time_bucket('15 minutes', TIMESTAMP '2000-01-01 00:07', TIMESTAMP '2000-01-01 00:10')");
        assertBucket("1969-12-29 00:00:00", "time_bucket('1 week', TIMESTAMP '1969-12-31 23:59:59.999999')");
        assertBucket("1999-12-27", "time_bucket('1 week', DATE '2000-01-02')");
        assertBucket("1900-01-01 00:00:00", "time_bucket('3 months', TIMESTAMP '1900-03-31 23:59')");
        assertBucket("0001-01-01 00:00:00 BC", "time_bucket('1 year', TIMESTAMP '0001-06-30 BC')");
    }

    @Test
    void infinityStaysAndNullGivesNull() throws Exception {
        assertBucket("infinity", "time_bucket('1 hour', TIMESTAMPTZ 'infinity')");
        assertBucket("-infinity", "time_bucket('1 month', TIMESTAMP '-infinity')");
        assertBucket("infinity", "time_bucket('1 week', DATE 'infinity', '1 day'::interval)");
        assertBucket("-infinity", "time_bucket('1 hour', TIMESTAMPTZ '-infinity', 'America/New_York')");
        assertEquals(null, scalar("SELECT time_bucket(NULL::interval, now())"));
        assertEquals(null, scalar("SELECT time_bucket('1 hour', now(), NULL::text)"));
        assertEquals(null, scalar("SELECT time_bucket('1 month', NULL::date)"));
        assertEquals(null, scalar("SELECT time_bucket(5, NULL::int)"));
    }

    @Test
    void widthsAreCheckedWithTimescaleDbErrors() {
        assertError("22023", "period must be greater than 0", "time_bucket('0 minutes', now())");
        assertError("22023", "period must be greater than 0", "time_bucket('1 day -24 hours', LOCALTIMESTAMP)");
        assertError("22023", "period must be greater than 0", "time_bucket('-1 month', CURRENT_DATE)");
        assertError("0A000", "month intervals cannot have day or time component", "time_bucket('1 month 1 day', now())");
        assertError("0A000", "month intervals cannot have day or time component", "time_bucket('1 year 1 second', CURRENT_DATE)");
        assertError("0A000", "interval must not have sub-day precision", "time_bucket('12 hours', CURRENT_DATE)");
        assertError("0A000", "interval must not have sub-day precision", "time_bucket('-1 day', CURRENT_DATE)");
        assertError("0A000", "interval must be a multiple of a day", "time_bucket('36 hours', CURRENT_DATE)");
        assertError("22023", "period must be greater than 0", "time_bucket(0, 5)");
        assertError("22023", "period must be greater than 0", "time_bucket((-1)::smallint, 5::smallint)");
        assertError("22023", "period must be greater than 0", "time_bucket((-1)::bigint, 5::bigint, 1::bigint)");
        assertError("22023", "time zone \"Mars/Olympus\" not recognized", "time_bucket('1 hour', now(), 'Mars/Olympus')");
    }

    @Test
    void widthsComingFromRowsAreCheckedPerRow() throws Exception {
        execute("DELETE FROM samples; INSERT INTO samples (t) VALUES ('2020-01-01 00:07')");
        assertEquals("2020-01-01 00:05:00", scalar("SELECT time_bucket(w, t)::text FROM samples, (VALUES ('5 minutes'::interval)) v(w)"));
        assertError("22023", "period must be greater than 0", "SELECT time_bucket(w, t) FROM samples, (VALUES ('0 s'::interval)) v(w)");
    }

    @Test
    void resultsOutOfRangeRaiseTheTypesErrors() {
        assertError("22003", "smallint out of range", "time_bucket(10::smallint, (-32768)::smallint)");
        assertError("22003", "integer out of range", "time_bucket(10, -2147483644, 5)");
        assertError("22003", "bigint out of range", "time_bucket(10::bigint, (-9223372036854775807)::bigint)");
        assertError("22008", "timestamp out of range", "time_bucket('1 week', TIMESTAMP '4714-11-24 00:00 BC')");
        assertError("22008", "timestamp out of range", "time_bucket('1 month', DATE '4714-11-24 BC')");
    }

    @Test
    void constantWidthsAreInlinedIntoBuiltins() throws Exception {
        String plan = String.join("\n", column("""
                EXPLAIN (VERBOSE, COSTS OFF) SELECT time_bucket('5 min', ts), time_bucket('1 month', ts),
                  time_bucket('1 day', ts, 'America/New_York', '2000-01-01', '1 hour'), time_bucket('1 week', t),
                  time_bucket('1 hour', t, '30 min'::interval), time_bucket('1 hour', t, TIMESTAMP '2000-01-01 00:10'),
                  time_bucket('1 week', d), time_bucket('1 month', d, '1 day'::interval), time_bucket('1 year', d, DATE '1999-07-01'),
                  time_bucket(10, i), time_bucket(10::smallint, s, 3::smallint), time_bucket(10::bigint, b)
                FROM samples"""));
        assertFalse(plan.contains("time_bucket"), plan);
        assertTrue(plan.contains("date_bin"), plan);
    }

    @Test
    void onlyTheTimestamptzOffsetFormStaysACallBecauseItUsesTheSessionZone() throws Exception {
        String plan = String.join("\n", column(
                "EXPLAIN (VERBOSE, COSTS OFF) SELECT time_bucket('1 day', ts, '2 hours'::interval) FROM samples"));
        assertTrue(plan.contains("time_bucket("), plan);
    }

    @Test
    void timestamptzOffsetIsAppliedInTheSessionZoneAsTimescaleDbDoes() throws Exception {
        // the bucket 2021-03-14 00:00 UTC plus '1 day' crosses New York's 23-hour day
        execute("SET TimeZone = 'America/New_York'");
        try {
            assertBucket("2021-03-14 19:00:00-04", "time_bucket('1 day', TIMESTAMPTZ '2021-03-15 12:00+00', '1 day'::interval)");
        } finally {
            execute("SET TimeZone = 'UTC'");
        }
        assertBucket("2021-03-15 00:00:00+00", "time_bucket('1 day', TIMESTAMPTZ '2021-03-15 12:00+00', '1 day'::interval)");
    }

    @Test
    void inAZoneDaysWeeksAndMonthsAreDateTruncInThatZone() throws Exception {
        // not hours: date_trunc keeps the UTC offset of the input below a day, time_bucket (as
        // TimescaleDB's, through timestamp_zone) takes the later offset for an ambiguous local hour
        execute("SET TimeZone = 'UTC'");
        for (String zone : List.of("America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe")) {
            for (String unit : List.of("day", "week", "month", "year")) {
                String mismatches = scalar("""
                        SELECT count(*) FROM (
                          SELECT TIMESTAMPTZ '1850-01-01 00:00+00' + random() * (TIMESTAMPTZ '2100-01-01' - TIMESTAMPTZ '1850-01-01') AS x
                          FROM generate_series(1, 2000)
                          UNION ALL
                          SELECT g FROM generate_series(TIMESTAMPTZ '2021-03-13', '2021-03-15', '7 minutes') g
                          UNION ALL
                          SELECT g FROM generate_series(TIMESTAMPTZ '2021-11-06', '2021-11-08', '7 minutes') g
                          UNION ALL
                          SELECT g FROM generate_series(TIMESTAMPTZ '2021-04-03', '2021-04-05', '7 minutes') g
                        ) s WHERE time_bucket('1 %s', x, '%s') <> date_trunc('%s', x, '%s')""".formatted(unit, zone, unit, zone));
                assertEquals("0", mismatches, unit + " in " + zone);
            }
        }
    }

    @Test
    void inUtcSubMonthWidthsAgreeWithFloorArithmeticOnEpochMicroseconds() throws Exception {
        for (String width : List.of("1 microsecond", "7 minutes", "90 minutes", "3 days", "1 day 1 hour", "1 week")) {
            String mismatches = scalar("""
                    WITH s AS (SELECT TIMESTAMP '1600-01-01' + random() * (TIMESTAMP '2400-01-01' - TIMESTAMP '1600-01-01') AS x,
                                      EXTRACT(epoch FROM INTERVAL '%s') * 1000000 AS p
                               FROM generate_series(1, 3000)),
                         e AS (SELECT x, p, EXTRACT(epoch FROM x) * 1000000 - EXTRACT(epoch FROM TIMESTAMP '2000-01-03') * 1000000 AS us FROM s)
                    SELECT count(*) FROM e
                    WHERE EXTRACT(epoch FROM time_bucket('%s', x)) * 1000000
                          <> EXTRACT(epoch FROM TIMESTAMP '2000-01-03') * 1000000 + floor(us / p) * p""".formatted(width, width));
            assertEquals("0", mismatches, width);
        }
    }
}

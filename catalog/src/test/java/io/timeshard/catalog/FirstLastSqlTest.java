package io.timeshard.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.store.CatalogStore;
import io.timeshard.catalog.partitioning.ServerOracle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sql/first_last.sql on a real PostgreSQL 15, against TimescaleDB 2.13's semantics written as plain
 * SQL: first(v, t) is the v of the first row in the order (t, scan order) among rows with a time,
 * else the group's first row; last(v, t) the same in the order (t DESC, scan order). Every time type,
 * ties, NULL times and values, ±infinity and the extremes of each key, exact floats at
 * {@code extra_float_digits = 0}, the parallel combine, result types and errors.
 */
class FirstLastSqlTest {
    private static final List<String> TIMES = List.of("ts", "t", "d", "s", "i", "b");
    private static final List<String> VALUES = List.of("f", "n", "txt");
    private static ServerOracle pg;

    @BeforeAll
    static void startInstallTwiceAndLoad() throws Exception {
        pg = ServerOracle.start();
        execute(CatalogStore.resource(CatalogStore.FIRST_LAST_SQL));
        execute(CatalogStore.resource(CatalogStore.FIRST_LAST_SQL));
        execute("CREATE TABLE samples (g int, ord int, f float8, n numeric, txt text, ts timestamptz, t timestamp, d date,"
                + " s smallint, i int, b bigint)");
        // groups 0..39: keys with many ties, every 13th time NULL, every 17th float and 19th numeric NULL
        execute("""
                INSERT INTO samples
                SELECT x % 40, x, CASE WHEN x % 17 <> 0 THEN x / 3.0::float8 + 0.1 END, CASE WHEN x % 19 <> 0 THEN x / 7.0 END,
                       'v' || x, ts, ts AT TIME ZONE 'UTC', (ts AT TIME ZONE 'UTC')::date, k, k * 100000, k * 50000000000000000
                FROM (SELECT x, k, '2000-01-01 00:00:00+00'::timestamptz + k * interval '37 days 1.000001 seconds' AS ts
                      FROM (SELECT x, CASE WHEN x % 13 <> 0 THEN abs(hashint4(x)) % 200 - 100 END AS k
                            FROM generate_series(1, 4000) x) keys) times""");
        // group 100: the extremes of every key; group 101: no time at all; group 102: one row, value NULL
        execute("""
                INSERT INTO samples (g, ord, f, txt, ts, t, d, s, i, b) VALUES
                  (100, 1, 1.5, 'a', '294276-12-31 23:59:59.999999+00', '294276-12-31 23:59:59.999999', '5874897-12-31', 32767, 2147483647, 9223372036854775807),
                  (100, 2, 2.5, 'b', 'infinity', 'infinity', 'infinity', -1, -1, -1),
                  (100, 3, 3.5, 'c', '-infinity', '-infinity', '-infinity', 0, 0, 4294967295),
                  (100, 4, 4.5, 'd', '4714-11-24 00:00:00+00 BC', '4714-11-24 00:00:00 BC', '4714-11-24 BC', -32768, -2147483648, -9223372036854775808),
                  (100, 5, 5.5, 'e', '1999-12-31 23:59:59.999999+00', '1999-12-31 23:59:59.999999', '1999-12-31', -2, -2, -4294967296),
                  (101, 1, 6.5, 'f', NULL, NULL, NULL, NULL, NULL, NULL),
                  (101, 2, 7.5, 'g', NULL, NULL, NULL, NULL, NULL, NULL),
                  (102, 1, NULL, NULL, '2020-01-01', '2020-01-01', '2020-01-01', 1, 1, 1)""");
        execute("ANALYZE samples");
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    private static void execute(String sql) throws SQLException {
        pg.execute(sql);
    }

    private static String scalar(String sql) throws SQLException {
        return pg.scalar(sql);
    }

    /** @return "groups/mismatches" of aggregate(value, time) per group against the plain SQL answer */
    private static String compare(String aggregate, String value, String time) throws SQLException {
        String order = aggregate.equals("first") ? time + ", ord" : time + " DESC NULLS LAST, ord";
        return scalar("WITH a AS (SELECT g, " + aggregate + "(" + value + ", " + time + ") AS v FROM samples GROUP BY g),"
                + " r AS (SELECT DISTINCT ON (g) g, " + value + " AS v FROM (SELECT * FROM samples ORDER BY ord) s ORDER BY g, " + order + ")"
                + " SELECT count(*) || '/' || count(*) FILTER (WHERE a.v IS DISTINCT FROM r.v OR a.g IS NULL OR r.g IS NULL)"
                + " FROM a FULL JOIN r USING (g)");
    }

    @Test
    void everyTimeTypeAndValueTypeMatchesTheDefinitionOneScanAtATime() throws SQLException {
        execute("SET max_parallel_workers_per_gather = 0");
        execute("SET extra_float_digits = 0"); // the state keeps the value itself, not its text
        try {
            for (String time : TIMES) {
                for (String value : VALUES) {
                    for (String aggregate : List.of("first", "last")) {
                        assertEquals("43/0", compare(aggregate, value, time), aggregate + "(" + value + ", " + time + ")");
                    }
                }
            }
        } finally {
            execute("RESET max_parallel_workers_per_gather");
            execute("RESET extra_float_digits");
        }
    }

    @Test
    void extremesAndMissingTimes() throws SQLException {
        execute("SET max_parallel_workers_per_gather = 0");
        try {
            assertEquals("c d", scalar("SELECT first(txt, ts) || ' ' || first(txt, b) FROM samples WHERE g = 100"));
            assertEquals("b a", scalar("SELECT last(txt, ts) || ' ' || last(txt, b) FROM samples WHERE g = 100"));
            assertEquals("d a", scalar("SELECT first(txt, s) || ' ' || last(txt, i) FROM samples WHERE g = 100"));
            assertEquals("c b", scalar("SELECT first(txt, d) || ' ' || last(txt, d) FROM samples WHERE g = 100"));
            assertEquals("f f", scalar("SELECT first(txt, ts) || ' ' || last(txt, b) FROM samples WHERE g = 101"));
            assertEquals("true", scalar("SELECT (first(f, ts) IS NULL AND last(txt, i) IS NULL)::text FROM samples WHERE g = 102"));
            assertEquals("true", scalar("SELECT (first(f, ts) IS NULL)::text FROM samples WHERE false"));
            // a row with a time replaces a first row without one
            assertEquals("y", scalar("SELECT first(v, t) FROM (VALUES ('x', NULL), ('y', 5), ('z', NULL)) r(v, t)"));
            assertEquals("y", scalar("SELECT last(v, t) FROM (VALUES ('x', NULL), ('y', 5), ('z', NULL)) r(v, t)"));
        } finally {
            execute("RESET max_parallel_workers_per_gather");
        }
    }

    @Test
    void parallelWorkersCombineTheirStates() throws SQLException {
        execute("CREATE TABLE IF NOT EXISTS wide AS SELECT x, '2020-01-01'::timestamptz + (hashint4(x)::bigint * interval '1 microsecond') AS ts"
                + " FROM generate_series(1, 300000) x");
        execute("ANALYZE wide");
        execute("SET parallel_setup_cost = 0");
        execute("SET parallel_tuple_cost = 0");
        execute("SET min_parallel_table_scan_size = 0");
        execute("SET max_parallel_workers_per_gather = 2");
        try {
            StringBuilder explain = new StringBuilder();
            try (Statement st = pg.conn.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN SELECT first(x, ts), last(x, ts) FROM wide")) {
                while (rs.next()) explain.append(rs.getString(1)).append('\n');
            }
            assertTrue(explain.toString().contains("Partial Aggregate"), explain.toString());
            assertEquals(scalar("SELECT (SELECT x FROM wide ORDER BY ts LIMIT 1) || ' ' || (SELECT x FROM wide ORDER BY ts DESC LIMIT 1)"),
                    scalar("SELECT first(x, ts) || ' ' || last(x, ts) FROM wide"));
        } finally {
            execute("RESET ALL");
        }
    }

    @Test
    void resultTypesAndErrors() throws SQLException {
        assertEquals("numeric character varying timestamp with time zone bigint",
                scalar("SELECT pg_typeof(first(n, ts)) || ' ' || pg_typeof(last(txt::varchar(3), d)) || ' ' || pg_typeof(first(ts, b))"
                        + " || ' ' || pg_typeof(last(b, s)) FROM samples"));
        SQLException noTimeType = assertThrows(SQLException.class, () -> scalar("SELECT first(f, txt) FROM samples"));
        assertEquals("42883", noTimeType.getSQLState());
        SQLException arrayValue = assertThrows(SQLException.class, () -> scalar("SELECT first(ARRAY[f], ts) FROM samples"));
        assertEquals("42704", arrayValue.getSQLState(), arrayValue.getMessage());
    }
}

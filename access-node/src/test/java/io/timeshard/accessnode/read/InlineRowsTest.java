package io.timeshard.accessnode.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.planner.plan.ResultColumn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The remote rows inlined into a combine query ({@link RemoteResultLoader#inline}) read back, on a real
 * PostgreSQL, as the rows COPY wrote: every type's text through its input function, NULLs, quotes,
 * backslashes, tabs and newlines, array and box columns.
 */
class InlineRowsTest {
    private static EmbeddedPostgres pg;
    private static Connection conn;

    private static final List<ResultColumn> COLUMNS = List.of(new ResultColumn("i", "integer"), new ResultColumn("t", "text"),
            new ResultColumn("a", "integer[]"), new ResultColumn("s", "text[]"), new ResultColumn("b", "box"),
            new ResultColumn("j", "jsonb"), new ResultColumn("n", "numeric(6,2)"), new ResultColumn("ts", "timestamp with time zone"),
            new ResultColumn("v", "character varying(5)"));

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        conn = pg.getPostgresDatabase().getConnection();
        try (Statement st = conn.createStatement()) {
            st.execute("SET TimeZone TO 'Europe/Berlin'");
            st.execute("CREATE TABLE r (i integer, t text, a integer[], s text[], b box, j jsonb, n numeric(6,2), "
                    + "ts timestamptz, v varchar(5))");
            st.execute("INSERT INTO r VALUES (1, 'plain', '{1,2}', '{x,y}', '((1,2),(0,0))', '{\"k\": [1, \"a\\\"b\"]}', 1.5, "
                    + "'2016-01-01 12:00+00', 'abc'), "
                    + "(2, E'quote \" back \\\\ tab \\t nl \\n cr \\r, comma {brace}', '{{1,2},{3,4}}', ARRAY['a\"b', NULL, 'c,d\\\\', ''], "
                    + "'((3,4),(1,1))', 'null', -0.5, 'infinity', ''), "
                    + "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
                    + "(4, 'NULL', '{}', '{NULL}', '((0,0),(0,0))', '\"NULL\"', 0, '-infinity', 'NULL')");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        conn.close();
        pg.close();
    }

    /** @return the rows of {@code sql} as COPY's text format sends them, one CopyData payload each */
    private static List<byte[]> copyRows(String sql) throws Exception {
        var out = new ByteArrayOutputStream();
        conn.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + sql + ") TO STDOUT", out);
        List<byte[]> rows = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) rows.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        return rows;
    }

    private static List<String> rowsAsText(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    @Test
    void inlineRowsReadBackAsTheRowsCopyWrote() throws Exception {
        String relation = RemoteResultLoader.inline(COLUMNS, copyRows("SELECT * FROM r ORDER BY i NULLS LAST"));
        assertTrue(relation.contains("::integer[]") && relation.contains("::text[]"), relation);
        List<String> expected = rowsAsText("SELECT r::text FROM r ORDER BY i NULLS LAST");
        List<String> actual = rowsAsText("SELECT x::text FROM " + relation + " AS x (i, t, a, s, b, j, n, ts, v)");
        assertEquals(expected, actual);
        assertEquals(List.of("integer[]|box|numeric|character varying"), rowsAsText("SELECT pg_typeof(a)::text || '|' || pg_typeof(b) "
                + "|| '|' || pg_typeof(n) || '|' || pg_typeof(v) FROM " + relation + " AS x (i, t, a, s, b, j, n, ts, v) LIMIT 1"));
    }

    @Test
    void theTypeModifierAppliesAsCopyWouldApplyIt() throws Exception {
        List<ResultColumn> columns = List.of(new ResultColumn("n", "numeric(6,2)"));
        String relation = RemoteResultLoader.inline(columns, List.of("1.239\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("1.24"), rowsAsText("SELECT n::text FROM " + relation + " AS x (n)"));
    }

    @Test
    void noRowsIsAnEmptyRelationOfTheColumnsTypes() throws Exception {
        String relation = RemoteResultLoader.inline(COLUMNS, List.of());
        assertEquals(List.of(), rowsAsText("SELECT x::text FROM " + relation + " AS x (i, t, a, s, b, j, n, ts, v)"));
        assertFalse(relation.contains("unnest"), relation);
    }

    @Test
    void arrayLiteralsQuoteEveryElement() {
        assertEquals("{\"1\",NULL,\"a\\\"b\",\"c\\\\d\",\"\"}", ArrayLiteral.of(java.util.Arrays.asList("1", null, "a\"b", "c\\d", "")));
        assertTrue(ArrayLiteral.unfit("integer[]"));
        assertTrue(ArrayLiteral.unfit("box"));
        assertFalse(ArrayLiteral.unfit("timestamp with time zone"));
    }
}

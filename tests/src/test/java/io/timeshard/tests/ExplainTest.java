package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EXPLAIN through the access node (issue 3, item 5): the fast path shows its combine step, the push-down
 * kind and one DataNodeScan per data node with its chunks (and, VERBOSE, the remote SQL); ANALYZE runs
 * the query and shows what each part returned; a query on the safety net says so. The hypertable is
 * the issue's: {@code conditions} partitioned by time and {@code device}, with rows on both data nodes.
 */
class ExplainTest {
    private static final TestCluster cluster = TestCluster.get();
    private static String db;

    @BeforeAll
    static void setUp() throws SQLException {
        db = cluster.newConditionsDatabase("explain");
    }

    private static String plan(Connection c, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) lines.add(rs.getString(1));
        }
        return String.join("\n", lines);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }

    /** @return the first remote SQL of {@code sql}'s EXPLAIN VERBOSE, after checking it is PARTIAL on both data nodes */
    private static String partialOnBothNodes(Connection c, String sql) throws SQLException {
        String plan = plan(c, "EXPLAIN VERBOSE " + sql);
        assertTrue(plan.startsWith("Timeshard Combine (push-down: PARTIAL)"), plan);
        assertEquals(2, count(plan, "DataNodeScan on public.conditions"), plan);
        assertTrue(plan.contains("Data node: dn1") && plan.contains("Data node: dn2"), plan);
        Matcher remote = Pattern.compile("Remote SQL: (.*)").matcher(plan);
        assertTrue(remote.find(), plan);
        return remote.group(1);
    }

    @Test
    void groupingByAnotherColumnIsAPartialAggregateOnEveryDataNode() throws SQLException {
        try (Connection c = cluster.connect(db)) {
            String sql = partialOnBothNodes(c, "SELECT location, max(temperature) FROM conditions GROUP BY location");
            assertTrue(sql.contains("MAX(\"temperature\")") && sql.contains("GROUP BY \"location\""), sql);
        }
    }

    @Test
    void firstAndLastSplitIntoTheValueAtEachNodesBookendTime() throws SQLException {
        try (Connection c = cluster.connect(db)) {
            String sql = partialOnBothNodes(c, "SELECT location, first(temperature, time), last(device, time) FROM conditions GROUP BY location");
            assertTrue(sql.contains("FIRST(\"temperature\", \"time\")") && sql.contains("MIN(\"time\")")
                    && sql.contains("LAST(\"device\", \"time\")") && sql.contains("MAX(\"time\")"), sql);
        }
    }

    @Test
    void aLocalSubqueryInsideATransactionBlockIsRunFirstAndItsValuesPushedDown() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS rooms (name text)");
            st.execute("DELETE FROM rooms");
            st.execute("INSERT INTO rooms VALUES ('room-1')");
            c.setAutoCommit(false);
            String sql = "SELECT count(*) FROM conditions WHERE location IN (SELECT name FROM rooms)";
            String plan = plan(c, "EXPLAIN VERBOSE " + sql);
            assertTrue(plan.startsWith("Timeshard Combine") && plan.contains("'room-1'"), plan);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                assertEquals(80, rs.getInt(1)); // 240 hourly rows over 3 rooms
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM rooms")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the transaction goes on after the probes' savepoints");
            }
            c.commit();
        }
    }

    @Test
    void aLocalSubqueryWhoseAnswerChangedIsAnsweredFromItsNewValues() throws SQLException {
        String sql = "SELECT location, count(*) FROM conditions WHERE location IN (SELECT name FROM rooms_moved) GROUP BY location";
        try (Connection admin = cluster.connect(db); Statement change = admin.createStatement()) {
            change.execute("CREATE TABLE IF NOT EXISTS rooms_moved (name text)");
            change.execute("DELETE FROM rooms_moved");
            change.execute("INSERT INTO rooms_moved VALUES ('room-1')");
            for (Connection c : List.of(cluster.connect(db), cluster.connectSimpleProtocol(db))) {
                try (c; Statement st = c.createStatement()) {
                    for (String room : List.of("room-1", "room-2", "room-0")) {
                        change.execute("UPDATE rooms_moved SET name = '" + room + "'");
                        try (ResultSet rs = st.executeQuery(sql)) {
                            assertTrue(rs.next(), room);
                            assertEquals(room, rs.getString(1), "the statement sees the subquery's answer of its own time");
                            assertEquals(80, rs.getInt(2));
                            assertFalse(rs.next());
                        }
                    }
                    change.execute("DELETE FROM rooms_moved");
                    try (ResultSet rs = st.executeQuery(sql)) {
                        assertFalse(rs.next(), "no room left: no row");
                    }
                    change.execute("INSERT INTO rooms_moved VALUES ('room-1')");
                }
            }
        }
    }

    @Test
    void aSubqueryThatCallsNextvalRunsOncePerStatementAsInPostgres() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("DROP SEQUENCE IF EXISTS probe_calls");
            st.execute("CREATE SEQUENCE probe_calls");
            String sql = "SELECT count(*) FROM conditions WHERE device IN (SELECT nextval('probe_calls') % 4)";
            for (int i = 1; i <= 3; i++) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    assertTrue(rs.next());
                }
                try (ResultSet rs = st.executeQuery("SELECT last_value FROM probe_calls")) {
                    assertTrue(rs.next());
                    assertEquals(i, rs.getLong(1), "statement " + i + ": the changed answer is not asked for twice");
                }
            }
        }
    }

    @Test
    void aLateralJoinWhoseOuterRowsChangedIsAnsweredFromTheNewOnes() throws SQLException {
        String sql = "SELECT r.name, x.time, x.device FROM watched_rooms r CROSS JOIN LATERAL (SELECT time, device FROM conditions c "
                + "WHERE c.location = r.name ORDER BY time DESC LIMIT 1) x ORDER BY 1";
        try (Connection admin = cluster.connect(db); Statement change = admin.createStatement()) {
            change.execute("CREATE TABLE IF NOT EXISTS watched_rooms (name text)");
            change.execute("DELETE FROM watched_rooms");
            change.execute("SET timeshard.enable_fast_path = off");
            try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
                for (String rooms : List.of("('room-1')", "('room-1'), ('room-2')", "('room-0')", "('room-0'), ('nowhere')")) {
                    change.execute("DELETE FROM watched_rooms");
                    change.execute("INSERT INTO watched_rooms VALUES " + rooms);
                    List<String> expected = rows(change, sql);
                    assertFalse(expected.isEmpty());
                    assertEquals(expected, rows(st, sql), rooms);
                    assertEquals(expected, rows(st, sql), rooms + ", again");
                }
            }
        }
    }

    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
        }
        return out;
    }

    /** @return the single value of {@code sql} with {@code document} bound as its text parameter */
    private static String read(Connection c, String sql, String document) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setString(1, document);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    @Test
    void explainWritesJsonYamlAndXmlAsPostgresDoes() throws SQLException {
        String query = "SELECT location, max(temperature) FROM conditions GROUP BY location";
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            String json;
            try (ResultSet rs = st.executeQuery("EXPLAIN (VERBOSE, FORMAT JSON) " + query)) {
                assertEquals("json", rs.getMetaData().getColumnTypeName(1));
                assertTrue(rs.next());
                json = rs.getString(1);
                assertFalse(rs.next(), "one row");
            }
            assertEquals("Timeshard Combine", read(c, "SELECT ?::json #>> '{0,Plan,Custom Plan Provider}'", json));
            assertEquals("PARTIAL", read(c, "SELECT ?::json #>> '{0,Plan,Push-down}'", json));
            assertEquals("2", read(c, "SELECT json_array_length(?::json #> '{0,Plan,Plans,0,Plans}')::text", json));
            assertEquals("DataNodeScan", read(c, "SELECT ?::json #>> '{0,Plan,Plans,0,Plans,1,Custom Plan Provider}'", json));
            assertTrue(read(c, "SELECT ?::json #>> '{0,Plan,Plans,0,Plans,0,Remote SQL}'", json).contains("MAX(\"temperature\")"), json);

            String xml;
            try (ResultSet rs = st.executeQuery("EXPLAIN (FORMAT XML) " + query)) {
                assertEquals("xml", rs.getMetaData().getColumnTypeName(1));
                assertTrue(rs.next());
                xml = rs.getString(1);
            }
            assertEquals("{\"Timeshard Combine\",DataNodeScan,DataNodeScan}", read(c, "SELECT xpath('//e:Custom-Plan-Provider/text()', ?::xml, "
                    + "ARRAY[ARRAY['e', 'http://www.postgresql.org/2009/explain']])::text", xml));

            try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, FORMAT YAML) " + query)) {
                assertEquals("text", rs.getMetaData().getColumnTypeName(1));
                assertTrue(rs.next());
                String yaml = rs.getString(1);
                assertTrue(yaml.startsWith("- Plan: \n    Node Type: \"Custom Scan\"\n    Custom Plan Provider: \"Timeshard Combine\"\n"), yaml);
                assertTrue(yaml.contains("\n          - Node Type: \"Custom Scan\"\n            Parent Relationship: \"Member\"\n"), yaml);
                assertTrue(yaml.contains("\n    Actual Rows: 3\n") && yaml.contains("\n  Execution Time: "), "3 locations: " + yaml);
            }

            try (ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON) SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY temperature) FROM conditions")) {
                assertTrue(rs.next());
                assertEquals("Aggregate", read(c, "SELECT ?::json #>> '{0,Plan,Node Type}'", rs.getString(1)), "the safety net: PostgreSQL's own plan");
            }
        }
    }

    @Test
    void aSubqueryInFromIsPushedDownAndTheRestRunsOnTheAccessNode() throws SQLException {
        try (Connection c = cluster.connect(db)) {
            String plan = plan(c, "EXPLAIN VERBOSE SELECT s.location, s.m FROM (SELECT location, max(temperature) AS m FROM conditions "
                    + "GROUP BY location) s WHERE s.m > 0 ORDER BY 1");
            assertTrue(plan.startsWith("Timeshard Combine (push-down: PARTIAL)"), plan);
            assertTrue(plan.contains("Combine SQL: SELECT s.location, s.m FROM (SELECT "), plan);
            String correlated = plan(c, "EXPLAIN SELECT (SELECT max(m) FROM (SELECT max(temperature) AS m FROM conditions x "
                    + "WHERE x.device = c.device) s) FROM conditions c");
            assertTrue(correlated.startsWith("Timeshard Safety Net"), correlated);
        }
    }

    @Test
    void groupingByTheSpaceColumnIsAFullPushDown() throws SQLException {
        try (Connection c = cluster.connect(db)) {
            String plan = plan(c, "EXPLAIN VERBOSE SELECT device, max(temperature) FROM conditions GROUP BY device");
            assertTrue(plan.startsWith("Timeshard Combine (push-down: FULL)"), plan);
            assertEquals(2, count(plan, "DataNodeScan on public.conditions"), plan);
        }
    }

    @Test
    void explainAnalyzeRunsTheQueryAndShowsTheRowsOfEachPart() throws SQLException {
        try (Connection c = cluster.connect(db)) {
            String plan = plan(c, "EXPLAIN ANALYZE SELECT device, count(*) FROM conditions GROUP BY device");
            assertTrue(plan.matches("(?s)Timeshard Combine \\(push-down: FULL\\) \\(actual time=[0-9.]+\\.\\.[0-9.]+ rows=10 loops=1\\).*"), plan);
            Matcher scans = Pattern.compile("DataNodeScan on public.conditions \\(actual time=[0-9.]+\\.\\.[0-9.]+ rows=(\\d+) loops=1\\)")
                    .matcher(plan);
            int rows = 0;
            int nodes = 0;
            while (scans.find()) {
                rows += Integer.parseInt(scans.group(1));
                nodes++;
            }
            assertEquals(2, nodes, plan);
            assertEquals(10, rows, "each device's group comes from one node: " + plan);
            assertTrue(plan.matches("(?s).*\nPlanning Time: [0-9.]+ ms\nExecution Time: [0-9.]+ ms"), plan);
        }
    }

    @Test
    void aQueryOnTheSafetyNetSaysSo() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            String declined = plan(c, "EXPLAIN SELECT a.device FROM conditions a JOIN conditions b USING (time) LIMIT 1");
            assertTrue(declined.startsWith("Timeshard Safety Net (postgres_fdw: the fast path does not take this statement)\n"), declined);
            assertTrue(declined.contains("Foreign Scan"), declined);
            st.execute("SET timeshard.enable_fast_path = off");
            String off = plan(c, "EXPLAIN ANALYZE SELECT device, count(*) FROM conditions GROUP BY device");
            assertTrue(off.startsWith("Timeshard Safety Net (postgres_fdw: timeshard.enable_fast_path is off)\n"), off);
            assertTrue(off.contains("actual time="), off);
        }
    }
}

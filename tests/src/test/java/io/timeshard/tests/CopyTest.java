package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * COPY FROM STDIN into distributed hypertables through the access node, with pgjdbc's CopyManager
 * and with psql's {@code \copy}: text and CSV (HEADER, quoted fields holding the delimiter, a
 * newline or a quote), column lists, CRLF line endings, the {@code \.} end marker, rows spread over
 * many chunks on both data nodes (counted on the data nodes directly). Bad input — a wrong type, a
 * NULL time, a row missing the space field, an unparseable time, a CopyFail from the client — fails
 * the whole statement with an error naming the client's line, and leaves no row on any data node.
 * COPY into a regular table is relayed to PostgreSQL. Each test writes to a year of its own, so
 * counts by time range belong to one test.
 */
class CopyTest {
    static TestCluster cluster;
    static String db;

    @BeforeAll
    static void setUp() throws SQLException {
        cluster = TestCluster.get();
        db = cluster.newDatabase("copy");
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE conditions (time timestamptz NOT NULL, device integer, temp float)");
            st.execute("SELECT create_distributed_hypertable('conditions', 'time', 'device')");
            st.execute("CREATE TABLE notes (time timestamptz NOT NULL, device integer, note text)");
            st.execute("SELECT create_distributed_hypertable('notes', 'time', 'device')");
            st.execute("CREATE TABLE plain_notes (time timestamptz NOT NULL, device integer, note text)");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    static long copy(String sql, String data) throws SQLException {
        try (Connection c = cluster.connect(db)) {
            return copyManager(c).copyIn(sql, new StringReader(data));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static CopyManager copyManager(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }

    /** Runs a COPY that must fail; checks the connection is usable afterwards; returns the server's error. */
    static ServerErrorMessage failingCopy(String sql, String data) throws SQLException {
        try (Connection c = cluster.connect(db)) {
            PSQLException e = assertThrows(PSQLException.class, () -> copyManager(c).copyIn(sql, new StringReader(data)));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                assertTrue(rs.next(), "the connection is usable after the failed COPY");
            }
            assertTrue(e.getServerErrorMessage() != null, "an error from the server: " + e);
            return e.getServerErrorMessage();
        }
    }

    /** @return rows of {@code table} in {@code year} on data node 1 and 2 (direct connections) */
    static long[] perNode(String table, int year) throws SQLException {
        long[] n = new long[2];
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE " + inYear(year))) {
                rs.next();
                n[i - 1] = rs.getLong(1);
            }
        }
        return n;
    }

    static String inYear(int year) {
        return "time >= '" + year + "-01-01' AND time < '" + (year + 1) + "-01-01'";
    }

    static void assertNoRowOnAnyNode(String table, int year) throws SQLException {
        long[] n = perNode(table, year);
        assertEquals(0, n[0], "rows left on dn1");
        assertEquals(0, n[1], "rows left on dn2");
    }

    static long countThroughAccessNode(String table, int year) throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE " + inYear(year))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return {@code n} text-format rows of conditions, hourly from January 1st of {@code year}, devices 0..29 */
    static List<String> hourlyRows(int year, int n) {
        List<String> rows = new ArrayList<>();
        Instant start = Instant.parse(year + "-01-01T00:00:00Z");
        for (int i = 1; i <= n; i++) {
            rows.add(start.plusSeconds(3600L * i) + "\t" + (i % 30) + "\t" + (i / 2.0));
        }
        return rows;
    }

    static String lines(List<String> rows) {
        return String.join("\n", rows) + "\n";
    }

    static void assertLine(ServerErrorMessage e, String table, int line) {
        assertTrue(e.getWhere() != null && e.getWhere().startsWith("COPY " + table + ", line " + line + ":")
                        || e.getWhere() != null && e.getWhere().startsWith("COPY " + table + ", line " + line + ","),
                "CONTEXT names line " + line + ": " + e);
    }

    // ---- good input -----------------------------------------------------------------------------

    @Test
    void textCopySpreadsRowsOverManyChunksOnBothNodes() throws SQLException {
        assertEquals(3000, copy("COPY conditions FROM STDIN", lines(hourlyRows(2001, 3000))));
        long[] n = perNode("conditions", 2001);
        assertTrue(n[0] > 0 && n[1] > 0, "both nodes hold rows: " + n[0] + ", " + n[1]);
        assertEquals(3000, n[0] + n[1]);
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(DISTINCT tableoid) FROM conditions WHERE " + inYear(2001))) {
                rs.next();
                assertTrue(rs.getInt(1) >= 10, "four months of rows make many chunks on dn" + i + ": " + rs.getInt(1));
            }
        }
        assertEquals(3000, countThroughAccessNode("conditions", 2001));
    }

    @Test
    void copiedValuesReadBackUnchanged() throws SQLException {
        List<String> rows = hourlyRows(2002, 200);
        copy("COPY conditions FROM STDIN", lines(rows));
        try (Connection c = cluster.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(device), sum(temp), min(time), max(time) FROM conditions WHERE " + inYear(2002))) {
            rs.next();
            long devices = 0;
            double temps = 0;
            for (int i = 1; i <= 200; i++) {
                devices += i % 30;
                temps += i / 2.0;
            }
            assertEquals(devices, rs.getLong(1));
            assertEquals(temps, rs.getDouble(2));
            assertEquals(Instant.parse("2002-01-01T01:00:00Z"), rs.getTimestamp(3).toInstant());
            assertEquals(Instant.parse("2002-01-09T08:00:00Z"), rs.getTimestamp(4).toInstant());
        }
    }

    @Test
    void csvWithHeaderKeepsQuotedDelimitersNewlinesAndQuotes() throws SQLException {
        String csv = "time,device,note\r\n".replace("\r", "") // the header line
                + "2003-01-01 00:00:00+00,1,\"a,b\"\n"
                + "2003-01-02 00:00:00+00,2,\"line1\nline2\"\n"
                + "2003-01-03 00:00:00+00,3,\"say \"\"hi\"\"\"\n"
                + "2003-01-04 00:00:00+00,4,plain\n"
                + "2003-01-05 00:00:00+00,5,\n"
                + "2003-01-06 00:00:00+00,6,\"\"\n";
        assertEquals(6, copy("COPY notes FROM STDIN WITH (FORMAT csv, HEADER)", csv));
        List<String> notes = new ArrayList<>();
        try (Connection c = cluster.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note FROM notes WHERE " + inYear(2003) + " ORDER BY time")) {
            while (rs.next()) notes.add(rs.getString(1));
        }
        assertEquals(java.util.Arrays.asList("a,b", "line1\nline2", "say \"hi\"", "plain", null, ""), notes);
        long[] n = perNode("notes", 2003);
        assertEquals(6, n[0] + n[1]);
    }

    @Test
    void csvThroughPsqlAnswersAsPostgresDoesForAPlainTable() throws SQLException {
        String script = """
                \\copy %1$s from stdin with (format csv, header)
                time,device,note
                2004-01-01 00:00:00+00,1,"a,b"
                2004-01-02 00:00:00+00,2,"line1
                line2"
                2004-01-03 00:00:00+00,3,"say ""hi""\"
                \\.
                SELECT time, device, note FROM %1$s WHERE time >= '2004-01-01' AND time < '2005-01-01' ORDER BY time;
                """;
        Psql.Result hypertable = Psql.run(cluster.port, db, script.formatted("notes"), true);
        Psql.Result plain = Psql.run(cluster.servers.accessNodeDatabase().port(), db, script.formatted("plain_notes"), true);
        assertEquals(0, hypertable.exitCode(), hypertable.output());
        assertEquals(plain.output(), hypertable.output());
        assertTrue(hypertable.output().startsWith("COPY 3\n"), hypertable.output());
        long[] n = perNode("notes", 2004);
        assertEquals(3, n[0] + n[1]);
    }

    @Test
    void psqlCopyEndsAtTheEndMarkerAndTheScriptGoesOn() throws SQLException {
        Psql.Result r = Psql.run(cluster.port, db, """
                \\copy conditions from stdin
                2005-01-01 00:00:00+00	1	1.5
                2005-01-02 00:00:00+00	2	2.5
                2005-01-03 00:00:00+00	3	3.5
                \\.
                SELECT count(*) FROM conditions WHERE time >= '2005-01-01' AND time < '2006-01-01';
                """, true);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("COPY 3\n count \n-------\n     3\n(1 row)\n\n", r.output());
        long[] n = perNode("conditions", 2005);
        assertEquals(3, n[0] + n[1]);
    }

    @Test
    void endMarkerEndsTheDataOfACopyManagerCopy() throws SQLException {
        assertEquals(2, copy("COPY conditions FROM STDIN",
                "2006-01-01 00:00:00+00\t1\t1.5\n2006-01-02 00:00:00+00\t2\t2.5\n\\.\n"));
        long[] n = perNode("conditions", 2006);
        assertEquals(2, n[0] + n[1]);
    }

    @Test
    void columnListLeavesTheOtherColumnsNull() throws SQLException {
        assertEquals(3, copy("COPY conditions (device, time) FROM STDIN",
                "1\t2007-01-01 00:00:00+00\n2\t2007-01-02 00:00:00+00\n3\t2007-01-03 00:00:00+00\n"));
        try (Connection c = cluster.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(temp), sum(device) FROM conditions WHERE " + inYear(2007))) {
            rs.next();
            assertEquals(3, rs.getLong(1));
            assertEquals(0, rs.getLong(2));
            assertEquals(6, rs.getLong(3));
        }
    }

    @Test
    void crlfLineEndingsAreAcceptedInText() throws SQLException {
        assertEquals(3, copy("COPY notes FROM STDIN",
                "2008-01-01 00:00:00+00\t1\tone\r\n2008-01-02 00:00:00+00\t2\ttwo\r\n2008-01-03 00:00:00+00\t3\tthree\r\n"));
        assertNotesWithoutCarriageReturns(2008, List.of("one", "two", "three"));
    }

    @Test
    void crlfLineEndingsAreAcceptedInCsv() throws SQLException {
        assertEquals(2, copy("COPY notes FROM STDIN WITH (FORMAT csv, HEADER)",
                "time,device,note\r\n2009-01-01 00:00:00+00,1,one\r\n2009-01-02 00:00:00+00,2,\"two\"\r\n"));
        assertNotesWithoutCarriageReturns(2009, List.of("one", "two"));
    }

    private static void assertNotesWithoutCarriageReturns(int year, List<String> expected) throws SQLException {
        List<String> notes = new ArrayList<>();
        try (Connection c = cluster.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note FROM notes WHERE " + inYear(year) + " ORDER BY time")) {
            while (rs.next()) notes.add(rs.getString(1));
        }
        assertEquals(expected, notes);
    }

    @Test
    void copyIntoARegularTableIsRelayed() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE copy_plain (id int, name text)");
            try {
                long n = copyManager(c).copyIn("COPY copy_plain FROM STDIN WITH (FORMAT csv)", new StringReader("1,a\n2,\"b,c\"\n"));
                assertEquals(2, n);
                try (ResultSet rs = st.executeQuery("SELECT string_agg(id || '=' || name, ' ' ORDER BY id) FROM copy_plain")) {
                    rs.next();
                    assertEquals("1=a 2=b,c", rs.getString(1));
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            } finally {
                st.execute("DROP TABLE copy_plain");
            }
        }
    }

    @Test
    void psqlCopyIntoARegularTableAnswersAsPostgres() {
        String script = """
                CREATE TABLE copy_plain_psql (id int, name text);
                \\copy copy_plain_psql from stdin
                1	a
                2	\\N
                \\.
                \\copy copy_plain_psql from stdin
                3	c
                x	d
                \\.
                SELECT * FROM copy_plain_psql ORDER BY id;
                DROP TABLE copy_plain_psql;
                """;
        Psql.Result via = Psql.run(cluster.port, db, script, false);
        Psql.Result direct = Psql.run(cluster.servers.accessNodeDatabase().port(), db, script, false);
        assertEquals(direct.output(), via.output());
        assertTrue(via.output().contains("CONTEXT:  COPY copy_plain_psql, line 2, column id: \"x\""), via.output());
    }

    // ---- bad input ------------------------------------------------------------------------------

    @Test
    void wrongTypeOnTheThirdLineFailsTheWholeCopy() throws SQLException {
        List<String> rows = hourlyRows(2010, 5);
        rows.set(2, "2010-01-01 03:00:00+00\t3\tnotanumber");
        ServerErrorMessage e = failingCopy("COPY conditions FROM STDIN", lines(rows));
        assertEquals("22P02", e.getSQLState());
        assertTrue(e.getMessage().contains("invalid input syntax for type double precision: \"notanumber\""), e.toString());
        assertLine(e, "conditions", 3);
        assertNoRowOnAnyNode("conditions", 2010);
    }

    @Test
    void wrongTypeInTheSpaceColumnFailsTheWholeCopy() throws SQLException {
        List<String> rows = hourlyRows(2011, 5);
        rows.set(2, "2011-01-01 03:00:00+00\tabc\t1.5");
        ServerErrorMessage e = failingCopy("COPY conditions FROM STDIN", lines(rows));
        assertEquals("22P02", e.getSQLState());
        assertTrue(e.getMessage().contains("invalid input syntax for type integer: \"abc\""), e.toString());
        assertLine(e, "conditions", 3);
        assertNoRowOnAnyNode("conditions", 2011);
    }

    @Test
    void nullTimeFailsTheWholeCopy() throws SQLException {
        List<String> rows = hourlyRows(2012, 5);
        rows.set(1, "\\N\t3\t1.5");
        ServerErrorMessage e = failingCopy("COPY conditions FROM STDIN", lines(rows));
        assertEquals("23502", e.getSQLState());
        assertTrue(e.getMessage().contains("NULL value in column \"time\" violates not-null constraint"), e.toString());
        assertLine(e, "conditions", 2);
        assertNoRowOnAnyNode("conditions", 2012);
    }

    @Test
    void rowMissingTheSpaceFieldFailsTheWholeCopy() throws SQLException {
        List<String> rows = hourlyRows(2013, 5);
        rows.set(2, "2013-01-01 03:00:00+00");
        ServerErrorMessage e = failingCopy("COPY conditions FROM STDIN", lines(rows));
        assertEquals("22P04", e.getSQLState());
        assertEquals("missing data for column \"device\"", e.getMessage());
        assertLine(e, "conditions", 3);
        assertNoRowOnAnyNode("conditions", 2013);
    }

    @Test
    void unparseableTimeFailsTheWholeCopy() throws SQLException {
        List<String> rows = hourlyRows(2014, 5);
        rows.set(2, "not a time\t3\t1.5");
        ServerErrorMessage e = failingCopy("COPY conditions FROM STDIN", lines(rows));
        assertEquals("22007", e.getSQLState());
        assertTrue(e.getMessage().contains("invalid input syntax for type timestamp with time zone: \"not a time\""), e.toString());
        assertLine(e, "conditions", 3);
        assertNoRowOnAnyNode("conditions", 2014);
    }

    @Test
    void errorForAnUnparseableTimePointsIntoNoStatementText() throws SQLException {
        // PostgreSQL's COPY error for a bad field has no statement position: the access node must not
        // pass on the position of an internal query it ran to parse the value
        List<String> rows = hourlyRows(2015, 3);
        rows.set(1, "not a time\t3\t1.5");
        ServerErrorMessage e = failingCopy("COPY conditions FROM STDIN WITH (FORMAT text)", lines(rows));
        assertEquals(0, e.getPosition(), "statement position of " + e);
        assertEquals(0, e.getInternalPosition(), "internal position of " + e);
    }

    @Test
    void badRowDeepIntoAManyChunkCopyNamesItsLineAndLeavesNothing() throws SQLException {
        List<String> rows = hourlyRows(2016, 3000);
        rows.set(2499, rows.get(2499).replaceFirst("\t[^\t]*$", "\tbad"));
        ServerErrorMessage e = failingCopy("COPY conditions FROM STDIN", lines(rows));
        assertEquals("22P02", e.getSQLState());
        assertLine(e, "conditions", 2500);
        assertNoRowOnAnyNode("conditions", 2016);
        assertEquals(0, countThroughAccessNode("conditions", 2016));
    }

    @Test
    void csvHeaderCountsAsTheFirstLine() throws SQLException {
        ServerErrorMessage e = failingCopy("COPY conditions FROM STDIN WITH (FORMAT csv, HEADER)",
                "time,device,temp\n2017-01-01 00:00:00+00,1,1.5\n2017-01-02 00:00:00+00,2,oops\n");
        assertLine(e, "conditions", 3);
        assertNoRowOnAnyNode("conditions", 2017);
    }

    /** @return the CONTEXT PostgreSQL itself gives for {@code csv} copied into the regular table plain_notes */
    static String postgresContext(String csv) throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.servers.accessNodeDatabase().jdbcUrl(db), "postgres", null)) {
            PSQLException e = assertThrows(PSQLException.class,
                    () -> copyManager(c).copyIn("COPY plain_notes FROM STDIN WITH (FORMAT csv)", new StringReader(csv)));
            return e.getServerErrorMessage().getWhere();
        }
    }

    @Test
    void lineNumberAfterAQuotedNewlineIsThePhysicalLineAsInPostgres() throws SQLException {
        // PostgreSQL counts lines, not rows, once it has seen the first line ending: a quoted
        // newline in row 2 puts row 3 on line 4
        // (a year of its own: another test leaves probe rows in 2018)
        String csv = "2017-01-01 00:00:00+00,1,x\n2017-01-02 00:00:00+00,1,\"first\nsecond\"\n"
                + "not a time,1,x\n";
        assertTrue(postgresContext(csv).startsWith("COPY plain_notes, line 4,"), postgresContext(csv));
        ServerErrorMessage e = failingCopy("COPY notes FROM STDIN WITH (FORMAT csv)", csv);
        assertLine(e, "notes", 4);
        assertNoRowOnAnyNode("notes", 2017);
    }

    @Test
    void dataNodeErrorAfterAQuotedNewlineNamesThePhysicalLineAsInPostgres() throws SQLException {
        // two devices whose rows of the week of 2018-06-04 live on different data nodes
        StringBuilder probe = new StringBuilder();
        for (int d = 1; d <= 20; d++) probe.append("2018-06-04 00:00:00+00,").append(d).append(",probe\n");
        copy("COPY notes FROM STDIN WITH (FORMAT csv)", probe.toString());
        int[] deviceOn = new int[2];
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT min(device) FROM notes WHERE time = '2018-06-04'")) {
                rs.next();
                deviceOn[i - 1] = rs.getInt(1);
                assertTrue(deviceOn[i - 1] > 0, "a probe row on dn" + i);
            }
        }
        int a = deviceOn[0];
        int b = deviceOn[1];
        // rows 1, 3, 4, 5 go to dn1, row 2 to dn2; row 3 spans lines 3-4; row 5 (line 6) has an extra field
        String csv = "2018-06-05 00:00:00+00," + a + ",x\n"
                + "2018-06-05 00:00:00+00," + b + ",x\n"
                + "2018-06-05 00:00:00+00," + a + ",\"first\nsecond\"\n"
                + "2018-06-05 00:00:00+00," + a + ",x\n"
                + "2018-06-05 00:00:00+00," + a + ",x,extra\n";
        assertTrue(postgresContext(csv).startsWith("COPY plain_notes, line 6:"), postgresContext(csv));
        ServerErrorMessage e = failingCopy("COPY notes FROM STDIN WITH (FORMAT csv)", csv);
        assertEquals("extra data after last expected column", e.getMessage().replaceFirst("^\\[dn\\d\\]: ", ""));
        assertLine(e, "notes", 6);
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM notes WHERE time = '2018-06-05'")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "rows left on dn" + i);
            }
        }
    }

    @Test
    void badRowThroughPsqlIsReportedWithItsLineAndStopsTheScript() throws SQLException {
        Psql.Result r = Psql.run(cluster.port, db, """
                \\copy conditions from stdin
                2019-01-01 00:00:00+00	1	1.5
                2019-01-02 00:00:00+00	2	2.5
                2019-01-03 00:00:00+00	3	notanumber
                2019-01-04 00:00:00+00	4	4.5
                \\.
                SELECT 'not reached';
                """, true);
        assertEquals(3, r.exitCode(), r.output());
        assertTrue(r.output().contains("ERROR:  "), r.output());
        assertTrue(r.output().contains("invalid input syntax for type double precision: \"notanumber\""), r.output());
        assertTrue(r.output().contains("CONTEXT:  COPY conditions, line 3"), r.output());
        assertNoRowOnAnyNode("conditions", 2019);
    }

    @Test
    void copyFailFromTheClientFailsTheCopyAndLeavesNothing() throws SQLException {
        try (Connection c = cluster.connect(db)) {
            CopyIn in = copyManager(c).copyIn("COPY conditions FROM STDIN");
            byte[] data = lines(hourlyRows(2020, 2000)).getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(data, 0, data.length);
            in.flushCopy();
            in.cancelCopy(); // sends CopyFail; pgjdbc swallows the server's expected "COPY from stdin failed" error
            assertTrue(!in.isActive(), "the COPY is over");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM conditions WHERE " + inYear(2020))) {
                rs.next();
                assertEquals(0, rs.getLong(1), "the connection is usable and sees no row");
            }
        }
        assertNoRowOnAnyNode("conditions", 2020);
    }
}

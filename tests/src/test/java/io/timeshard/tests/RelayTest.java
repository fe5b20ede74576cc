package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * psql through the access node answers exactly as PostgreSQL does for everything that touches no
 * distributed hypertable: each test runs the same psql script once through the access node and once
 * directly against the access node database (the very server the relay talks to, so catalogs and
 * data are the same) and requires the two outputs to be identical, and also checks what the output
 * says. Nothing legitimately differs in these scripts (no ports, pids or timings are printed); the one
 * difference seen elsewhere — the access node's own 25P02 error after a failed write to a
 * distributed hypertable has no LOCATION line under {@code VERBOSITY verbose} — is avoided by
 * comparing the hypertable cases with the default verbosity. Transaction semantics that involve a
 * distributed hypertable are checked against a regular table of the same shape on plain PostgreSQL.
 */
class RelayTest {
    static TestCluster cluster;
    static String db;
    static String otherDb;

    @BeforeAll
    static void setUp() throws SQLException {
        cluster = TestCluster.get();
        db = cluster.newDatabase("relay");
        otherDb = cluster.newDatabase("relay_other");
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE conditions (time timestamptz NOT NULL, device integer, temp float)");
            st.execute("SELECT create_distributed_hypertable('conditions', 'time', 'device')");
            st.execute("INSERT INTO conditions VALUES ('2020-01-01', 1, 1.5), ('2020-01-02', 2, 2.5)");
            // a regular table of the same shape: the oracle for transaction semantics
            st.execute("CREATE TABLE plain_conditions (time timestamptz NOT NULL, device integer, temp float)");
        }
        try (Connection c = cluster.connect(otherDb); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE only_in_other (id int)");
            st.execute("INSERT INTO only_in_other VALUES (42)");
        }
    }

    /** Runs {@code script} through the access node and directly; asserts equal outputs; returns it. */
    static String sameAsPostgres(String database, String script, String... variables) {
        Psql.Result viaAccessNode = Psql.run(cluster.port, database, script, false, variables);
        Psql.Result direct = Psql.run(cluster.servers.accessNodeDatabase().port(), database, script, false, variables);
        assertEquals(direct.output(), viaAccessNode.output(), "psql through the access node vs directly");
        assertEquals(direct.exitCode(), viaAccessNode.exitCode(), "psql's exit code");
        return viaAccessNode.output();
    }

    @Test
    void readsUnderEveryDateStyleAreFormattedAsPostgresFormatsThem() {
        // the data nodes are read with pgjdbc, which only takes an ISO DateStyle: other styles are
        // answered by the safety net, and ISO again by the fast path, over the same pooled connections
        String out = sameAsPostgres(db, """
                SET DateStyle = 'SQL, DMY';
                SELECT time, device, temp FROM conditions ORDER BY time;
                SET DateStyle = 'German';
                SELECT date_trunc('day', time) AS day, count(*) FROM conditions GROUP BY 1 ORDER BY 1;
                SET DateStyle = 'Postgres, MDY';
                SELECT max(time) FROM conditions WHERE time < '01/02/2020 12:00';
                RESET DateStyle;
                SELECT time, device FROM conditions ORDER BY time;
                """);
        assertTrue(out.contains(" 01/01/2020 00:00:00 UTC |      1 |  1.5"), out);
        assertTrue(out.contains(" 02.01.2020 00:00:00 UTC |     1"), out);
        assertTrue(out.contains(" 2020-01-02 00:00:00+00 |      2"), out);
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    @Test
    void anUnqualifiedNameFollowsTheSearchPathAndOtherSessionsDdl() throws SQLException {
        // the access node remembers where "conditions" resolved; its own SET and another session's
        // committed CREATE TABLE must both make it look again
        try (Connection a = cluster.connect(db); Connection b = cluster.connect(db);
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            assertEquals("2", one(sa, "SELECT count(*) FROM conditions"));
            sa.execute("SET search_path = shadow, public");
            assertEquals("2", one(sa, "SELECT count(*) FROM conditions"), "no shadow schema yet");
            b.setAutoCommit(false);
            sb.execute("CREATE SCHEMA shadow");
            sb.execute("CREATE TABLE shadow.conditions (time timestamptz, device integer, temp float)");
            sb.execute("INSERT INTO shadow.conditions VALUES ('2020-01-01', 1, 9)");
            assertEquals("2", one(sa, "SELECT count(*) FROM conditions"), "not committed yet");
            b.commit();
            assertEquals("1", one(sa, "SELECT count(*) FROM conditions"), "the regular table now comes first");
            sb.execute("DROP SCHEMA shadow CASCADE");
            b.commit();
            assertEquals("2", one(sa, "SELECT count(*) FROM conditions"), "the hypertable again");
        }
    }

    @Test
    void listOfDatabasesIsPostgresOwn() {
        String out = sameAsPostgres("postgres", "\\l\n");
        assertTrue(out.contains(" " + db + " "), out);
        assertTrue(out.contains(" template0 "), out);
    }

    @Test
    void listOfTablesIsPostgresOwn() {
        String out = sameAsPostgres(db, "\\dt\n");
        assertTrue(out.contains(" public | conditions       | partitioned table | postgres"), out);
        assertTrue(out.contains(" public | plain_conditions | table             | postgres"), out);
    }

    @Test
    void describeOfTheDistributedHypertableIsPostgresOwn() {
        String out = sameAsPostgres(db, "\\d conditions\n");
        assertTrue(out.contains(" time   | timestamp with time zone |           | not null | "), out);
    }

    @Test
    void listOfSchemasIsPostgresOwn() {
        String out = sameAsPostgres(db, "\\dn\n");
        assertTrue(out.contains(" timescaledb_information "), out);
    }

    @Test
    void connectingToAnotherDatabaseThenQueryingAnswersFromThatDatabase() {
        String out = sameAsPostgres(db, "\\c " + otherDb + "\nSELECT current_database(), id FROM only_in_other;\n");
        assertTrue(out.contains("You are now connected to database \"" + otherDb + "\" as user \"postgres\"."), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(" " + otherDb + " +\\| 42")), out);
    }

    @Test
    void createDatabaseIsRelayedAndTheNewDatabaseIsUsable() throws SQLException {
        String name = db + "_created";
        Psql.Result r = Psql.run(cluster.port, "postgres",
                "CREATE DATABASE " + name + ";\n\\c " + name + "\nSELECT current_database();\n", true);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("CREATE DATABASE\nYou are now connected to database \"" + name + "\" as user \"postgres\".\n"
                + " current_database \n------------------\n " + name + "\n(1 row)\n\n", r.output());
        try (Connection c = java.sql.DriverManager.getConnection(cluster.servers.accessNodeDatabase().jdbcUrl("postgres"), "postgres", null);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the database exists on the access node database");
        }
    }

    @Test
    void regularTableLifecycleIsPostgresOwn() {
        String out = sameAsPostgres(db, """
                CREATE TABLE relay_items (id int PRIMARY KEY, name text);
                INSERT INTO relay_items VALUES (1, 'a'), (2, 'b'), (3, 'c');
                SELECT * FROM relay_items ORDER BY id;
                UPDATE relay_items SET name = 'bb' WHERE id = 2;
                DELETE FROM relay_items WHERE id = 3;
                SELECT * FROM relay_items ORDER BY id;
                INSERT INTO relay_items VALUES (1, 'duplicate');
                DROP TABLE relay_items;
                SELECT * FROM relay_items;
                """);
        assertTrue(out.contains("INSERT 0 3\n"), out);
        assertTrue(out.contains("UPDATE 1\nDELETE 1\n"), out);
        assertTrue(out.contains("  1 | a\n  2 | bb\n(2 rows)"), out);
        assertTrue(out.contains("ERROR:  duplicate key value violates unique constraint \"relay_items_pkey\""), out);
        assertTrue(out.contains("DROP TABLE\n"), out);
        assertTrue(out.contains("ERROR:  relation \"relay_items\" does not exist"), out);
    }

    @Test
    void timeZoneSettingGovernsTimestamptzOutput() {
        String out = sameAsPostgres(db, """
                SET TimeZone = 'America/New_York';
                SHOW TimeZone;
                SELECT '2020-01-01 12:00:00+00'::timestamptz AS t;
                SELECT time FROM conditions WHERE device = 1;
                """);
        assertTrue(out.contains(" America/New_York\n"), out);
        assertTrue(out.contains(" 2020-01-01 07:00:00-05\n"), out);
        assertTrue(out.contains(" 2019-12-31 19:00:00-05\n"), "rows of the hypertable follow it too:\n" + out);
    }

    @Test
    void divisionByZeroIsReportedWithItsSqlstate() {
        String out = sameAsPostgres(db, "\\set VERBOSITY verbose\nSELECT 1/0;\n");
        assertTrue(out.contains("ERROR:  22012: division by zero\n"), out);
    }

    @Test
    void divisionByZeroHasSqlstate22012ForJdbcClients() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1/0"));
            assertEquals("22012", e.getSQLState());
            assertEquals("ERROR: division by zero", e.getMessage());
        }
    }

    @Test
    void noticeReachesTheClient() {
        String out = sameAsPostgres(db, "\\set VERBOSITY verbose\nDO $$ BEGIN RAISE NOTICE 'hello'; END $$;\n");
        assertTrue(out.startsWith("NOTICE:  00000: hello\n"), out);
        assertTrue(out.contains("DO\n"), out);
    }

    @Test
    void failingSecondStatementOfAQueryStringRollsBackTheFirst() {
        // "\;" makes psql send both statements in one Query message: one implicit transaction
        String out = sameAsPostgres(db, """
                CREATE TABLE relay_implicit (id int);
                INSERT INTO relay_implicit VALUES (1) \\; SELECT 1/0;
                SELECT count(*) FROM relay_implicit;
                DROP TABLE relay_implicit;
                """);
        assertTrue(out.contains("ERROR:  division by zero\n"), out);
        assertTrue(out.contains(" count \n-------\n     0\n"), out);
    }

    @Test
    void failedStatementInATransactionBlockAbortsItUntilRollback() {
        String out = sameAsPostgres(db, """
                \\set VERBOSITY verbose
                CREATE TABLE relay_block (id int);
                BEGIN;
                INSERT INTO relay_block VALUES (1);
                SELECT 1/0;
                SELECT 1;
                ROLLBACK;
                SELECT count(*) FROM relay_block;
                DROP TABLE relay_block;
                """);
        assertTrue(out.contains("ERROR:  25P02: current transaction is aborted, commands ignored until end of transaction block\n"), out);
        assertTrue(out.contains("ROLLBACK\n count \n-------\n     0\n"), out);
    }

    /** The script behind the two hypertable tests: :tbl is the distributed hypertable or a plain table. */
    private static final String FAILING_WRITES = """
            INSERT INTO :tbl VALUES ('2040-01-01', 7, 1) \\; SELECT 1/0;
            BEGIN;
            INSERT INTO :tbl VALUES ('2040-01-02', 7, 1);
            SELECT 1/0;
            SELECT 1;
            INSERT INTO :tbl VALUES ('2040-01-03', 7, 1);
            ROLLBACK;
            SELECT count(*) FROM :tbl WHERE time >= '2040-01-01';
            """;

    @Test
    void failedWritesToADistributedHypertableBehaveAsOnAPlainTable() {
        Psql.Result hypertable = Psql.run(cluster.port, db, FAILING_WRITES, false, "tbl=conditions");
        Psql.Result plain = Psql.run(cluster.servers.accessNodeDatabase().port(), db, FAILING_WRITES, false, "tbl=plain_conditions");
        assertEquals(plain.output(), hypertable.output());
        assertTrue(hypertable.output().contains("ERROR:  current transaction is aborted"), hypertable.output());
    }

    @Test
    void failedWritesToADistributedHypertableLeaveNoRowOnAnyDataNode() throws SQLException {
        Psql.run(cluster.port, db, FAILING_WRITES, false, "tbl=conditions");
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM conditions WHERE time >= '2040-01-01'")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "rows on data node " + i);
            }
        }
    }

    @Test
    void statementInAFailedTransactionBlockHasSqlstate25P02ForJdbcClients() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO conditions VALUES ('2041-01-01', 1, 1)");
            assertThrows(SQLException.class, () -> st.execute("SELECT 1/0"));
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT 1"));
            assertEquals("25P02", e.getSQLState());
            c.rollback();
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM conditions WHERE time >= '2041-01-01'")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    @Test
    void droppingADatabaseTheClientHasLeftSucceedsAsInPostgres() throws SQLException {
        String name = db + "_dropped";
        String script = "CREATE DATABASE " + name + ";\n\\c " + name + "\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"
                + "\\c postgres\nDROP DATABASE " + name + ";\n";
        try {
            Psql.Result r = Psql.run(cluster.port, "postgres", script, false);
            assertFalse(r.output().contains("ERROR"), r.output());
            assertTrue(r.output().endsWith("DROP DATABASE\n"), r.output());
        } finally {
            try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void recreatedDatabaseDoesNotInheritTheDroppedOnesHypertables() throws SQLException {
        String name = db + "_recreated";
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        try (Connection c = cluster.connect(name); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION timescaledb");
            for (int i = 1; i <= 2; i++) {
                st.execute("SELECT add_data_node('dn" + i + "', host => '127.0.0.1', port => " + cluster.servers.dataNodes().get(i - 1).port() + ")");
            }
            st.execute("CREATE TABLE conditions (time timestamptz NOT NULL, device integer, temp float)");
            st.execute("SELECT create_distributed_hypertable('conditions', 'time', 'device')");
        }
        String out = sameAsPostgresAfter(name, """
                \\c postgres
                DROP DATABASE %1$s WITH (FORCE);
                CREATE DATABASE %1$s;
                \\c %1$s
                CREATE TABLE conditions (time timestamptz NOT NULL, device integer, temp float);
                INSERT INTO conditions VALUES ('2020-01-01', 1, 1.5);
                SELECT count(*) FROM conditions;
                """.formatted(name));
        assertTrue(out.contains("INSERT 0 1\n count \n-------\n     1\n"), out);
    }

    /** Like {@link #sameAsPostgres} for a script that drops and recreates {@code name} (so reruns are alike). */
    private static String sameAsPostgresAfter(String name, String script) throws SQLException {
        Psql.Result viaAccessNode = Psql.run(cluster.port, name, script, false);
        Psql.Result direct = Psql.run(cluster.servers.accessNodeDatabase().port(), name, script, false);
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        assertEquals(direct.output(), viaAccessNode.output(), "psql through the access node vs directly");
        return viaAccessNode.output();
    }
}

package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeds' tutorial (seeds/002) typed into the real psql 15 client connected to the access node,
 * from {@code CREATE DATABASE} to the final {@code SELECT}, with only host names and ports changed
 * (resource {@code psql/tutorial.sql}; it uses TimescaleDB 2.13's names for the views and size
 * function the 2019 tutorial used). The script runs once with {@code ON_ERROR_STOP}; each test checks
 * one thing psql printed, or what the data nodes hold afterwards (over direct connections).
 */
class TutorialThroughPsqlTest {
    static TestCluster cluster;
    static String db;
    static Psql.Result run;

    @BeforeAll
    static void runTheTutorial() throws IOException {
        cluster = TestCluster.get();
        db = "multinode_" + UUID.randomUUID().toString().substring(0, 8);
        String script;
        try (InputStream in = TutorialThroughPsqlTest.class.getResourceAsStream("/psql/tutorial.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        run = Psql.run(cluster.port, "postgres", script, true, "db=" + db,
                "dn1_port=" + dnPort(1), "dn2_port=" + dnPort(2));
    }

    static int dnPort(int i) {
        return cluster.servers.dataNodes().get(i - 1).port();
    }

    @Test
    void tutorialRunsToTheEndWithoutAnError() {
        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains("ERROR"), run.output());
        assertTrue(run.output().contains("You are now connected to database \"" + db + "\" as user \"postgres\"."), run.output());
    }

    @Test
    void addDataNodeReportsTheNodeAndItsDatabaseCreated() {
        for (int i = 1; i <= 2; i++) {
            String row = " (dn" + i + ",127.0.0.1," + dnPort(i) + "," + db + ",t,t,t)";
            assertTrue(run.output().lines().anyMatch(l -> l.equals(row)), "expected the line \"" + row + "\" in\n" + run.output());
        }
    }

    @Test
    void dataNodesViewListsBothNodesWithTheirConnectionOptions() {
        for (int i = 1; i <= 2; i++) {
            Pattern row = Pattern.compile("^ dn" + i + " +\\| postgres \\| \\{host=127\\.0\\.0\\.1,port=" + dnPort(i)
                    + ",dbname=" + db + "\\}$", Pattern.MULTILINE);
            Matcher m = row.matcher(run.output());
            int count = 0;
            while (m.find()) count++;
            assertEquals(2, count, "the view is queried twice, each time listing dn" + i + ":\n" + run.output());
        }
    }

    @Test
    void createDistributedHypertableReturnsItsRow() {
        assertTrue(run.output().contains(" (1,public,conditions,t)\n"), run.output());
    }

    @Test
    void insertReportsEveryGeneratedRow() {
        assertTrue(run.output().lines().anyMatch("INSERT 0 44641"::equals), run.output());
    }

    @Test
    void hypertablesViewShowsConditionsDistributedOverBothNodes() {
        List<String> cells = rowStartingWith(" public            | conditions");
        // hypertable_schema | hypertable_name | owner | num_dimensions | num_chunks | compression_enabled
        // | is_distributed | replication_factor | data_nodes | tablespaces
        assertEquals("postgres", cells.get(2));
        assertEquals("2", cells.get(3));
        assertTrue(Integer.parseInt(cells.get(4)) >= 2, "a month of data makes several chunks: " + cells);
        assertEquals("t", cells.get(6));
        assertEquals("1", cells.get(7));
        assertEquals("{dn1,dn2}", cells.get(8));
    }

    @Test
    void detailedSizeHasOneRowPerDataNodeAndOneForTheAccessNode() {
        String out = run.output();
        int header = out.indexOf(" table_bytes | index_bytes | toast_bytes | total_bytes | node_name");
        assertTrue(header >= 0, out);
        List<String> rows = out.substring(header).lines().skip(2).takeWhile(l -> !l.startsWith("(")).toList();
        assertEquals(3, rows.size(), String.join("\n", rows));
        for (int i = 1; i <= 2; i++) {
            String node = "dn" + i;
            String row = rows.stream().filter(r -> r.endsWith("| " + node)).findFirst().orElseThrow(() -> new AssertionError(node + " in " + rows));
            long total = Long.parseLong(row.split("\\|")[3].trim());
            assertTrue(total > 0, node + " holds data: " + row);
        }
        assertTrue(rows.stream().anyMatch(r -> r.matches(".*\\| +$")), "a row with node_name NULL for the access node: " + rows);
    }

    @Test
    void selectFromConditionsShowsTheRequestedRows() {
        String out = run.output();
        int header = out.indexOf("          time          | device |        temp");
        assertTrue(header >= 0, out);
        assertTrue(out.substring(header).contains("(10 rows)"), out.substring(header));
        assertTrue(out.substring(header).lines().skip(2).limit(10).allMatch(l -> l.matches(" 2019-0[12]-\\d\\d \\d\\d:\\d\\d:00\\+00 \\|.*")),
                out.substring(header));
    }

    @Test
    void bothDataNodesHoldRowsAndTogetherExactlyTheGeneratedOnes() throws SQLException {
        long total = 0;
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT time) FROM conditions")) {
                rs.next();
                assertTrue(rs.getLong(1) > 0, "data node " + i + " holds rows");
                assertEquals(rs.getLong(1), rs.getLong(2), "no minute twice on data node " + i);
                total += rs.getLong(1);
            }
        }
        assertEquals(44641, total);
    }

    /** @return the cells of the first aligned-output row starting with {@code prefix} */
    private static List<String> rowStartingWith(String prefix) {
        String line = run.output().lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no row starting with \"" + prefix + "\" in\n" + run.output()));
        return java.util.Arrays.stream(line.split("\\|", -1)).map(String::trim).toList();
    }
}

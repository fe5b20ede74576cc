package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * attach_data_node, detach_data_node, block_new_chunks, allow_new_chunks, set_replication_factor and
 * delete_data_node with TimescaleDB 2.13's results and errors (reference/timescaledb-2.13-behaviour.md),
 * and ALTER EXTENSION timescaledb UPDATE bringing every node's functions up to date. Each test makes
 * its own hypertable in a database of its own.
 */
class DataNodeManagementTest {
    private static final TestCluster cluster = TestCluster.get();

    private static String database() throws SQLException {
        return cluster.newDatabase("dnmgmt");
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static void createOnDn1(Statement st) throws SQLException {
        st.execute("CREATE TABLE m1 (time timestamptz NOT NULL, device integer, value float)");
        st.execute("SELECT create_distributed_hypertable('m1', 'time', 'device', data_nodes => '{dn1}')");
        st.execute("INSERT INTO m1 SELECT '2020-01-01'::timestamptz + i * interval '1 hour', i % 20, i FROM generate_series(0, 99) i");
    }

    @Test
    void theSafetyNetsForeignServersScanAtOnceInLargeFetchesAndDataNodesShowsTimescaleDbsOptions() throws SQLException {
        String db = database();
        try (Connection c = cluster.connect(db)) {
            List<String> options = column(c, "SELECT options::text FROM timescaledb_information.data_nodes ORDER BY node_name");
            assertEquals(2, options.size());
            for (String o : options) assertTrue(o.matches("\\{host=127\\.0\\.0\\.1,port=\\d+,dbname=" + db + "}"), o);
            assertEquals(List.of("{async_capable=true,fetch_size=10000}", "{async_capable=true,fetch_size=10000}"),
                    column(c, "SELECT ARRAY(SELECT o FROM unnest(srvoptions) o WHERE o LIKE 'async%' OR o LIKE 'fetch%')::text "
                            + "FROM pg_foreign_server WHERE srvname IN ('dn1', 'dn2') ORDER BY srvname"));
        }
    }

    @Test
    void attachRepartitionsNewChunksAndLeavesOldOnesInPlace() throws SQLException {
        String db = database();
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            createOnDn1(st);
            List<String> before = column(c, "SELECT chunk_name || ':' || data_nodes::text FROM timescaledb_information.chunks ORDER BY 1");
            assertEquals(List.of("dn2"), column(c, "SELECT node_name FROM attach_data_node('dn2', 'm1')"));
            assertEquals(List.of("2"), column(c, "SELECT num_partitions::text FROM timescaledb_information.dimensions WHERE column_name = 'device'"));
            assertEquals(List.of("{dn1,dn2}"), column(c, "SELECT data_nodes::text FROM timescaledb_information.hypertables"));
            st.execute("INSERT INTO m1 SELECT '2021-01-01'::timestamptz + i * interval '1 hour', i % 20, i FROM generate_series(0, 99) i");
            List<String> after = column(c, "SELECT chunk_name || ':' || data_nodes::text FROM timescaledb_information.chunks ORDER BY 1");
            assertTrue(after.containsAll(before), "existing chunks stay where they were");
            List<String> newNodes = column(c, "SELECT DISTINCT data_nodes::text FROM timescaledb_information.chunks WHERE range_start >= '2020-12-01' ORDER BY 1");
            assertEquals(List.of("{dn1}", "{dn2}"), newNodes, "new chunks use both nodes");
            assertEquals(List.of("200"), column(c, "SELECT count(*)::text FROM m1"));
        }
    }

    @Test
    void attachingTwiceIsAnErrorUnlessIfNotAttached() throws SQLException {
        String db = database();
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            createOnDn1(st);
            st.execute("SELECT attach_data_node('dn2', 'm1')");
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT attach_data_node('dn2', 'm1')"));
            assertEquals("TS172", e.getSQLState());
            assertEquals(List.of("dn2"), column(c, "SELECT node_name FROM attach_data_node('dn2', 'm1', if_not_attached => true)"));
        }
    }

    @Test
    void detachingTheOnlyReplicaIsRefusedWithTimescaleDbsMessage() throws SQLException {
        String db = database();
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            createOnDn1(st);
            st.execute("SELECT attach_data_node('dn2', 'm1')");
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT detach_data_node('dn1', hypertable => 'm1')"));
            assertEquals("TS170", e.getSQLState());
            assertTrue(e.getMessage().contains("would lose data if data node \"dn1\" is detached"), e.getMessage());
            assertEquals(List.of("1"), column(c, "SELECT detach_data_node('dn2', hypertable => 'm1')"));
            assertEquals(List.of("{dn1}"), column(c, "SELECT data_nodes::text FROM timescaledb_information.hypertables"));
        }
    }

    @Test
    void blockedNodesGetNoNewChunksUntilAllowed() throws SQLException {
        String db = database();
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE m2 (time timestamptz NOT NULL, device integer)");
            st.execute("SELECT create_distributed_hypertable('m2', 'time', 'device')");
            assertEquals(List.of("1"), column(c, "SELECT block_new_chunks('dn2', 'm2')"));
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT block_new_chunks('dn1', 'm2')"));
            assertEquals("TS170", e.getSQLState());
            st.execute("INSERT INTO m2 SELECT '2020-01-01'::timestamptz, i FROM generate_series(0, 99) i");
            assertEquals(List.of("{dn1}"), column(c, "SELECT DISTINCT data_nodes::text FROM timescaledb_information.chunks"));
            st.execute("SELECT allow_new_chunks('dn2')");
            st.execute("INSERT INTO m2 SELECT '2020-02-01'::timestamptz, i FROM generate_series(0, 99) i");
            assertEquals(List.of("{dn1}", "{dn2}"), column(c,
                    "SELECT DISTINCT data_nodes::text FROM timescaledb_information.chunks WHERE range_start >= '2020-01-30' ORDER BY 1"));
        }
    }

    @Test
    void replicationFactorTwoWritesEveryRowToBothNodes() throws SQLException {
        String db = database();
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE r2 (time timestamptz NOT NULL, device integer, v float)");
            st.execute("SELECT create_hypertable('r2', 'time', 'device', replication_factor => 2)");
            st.execute("INSERT INTO r2 SELECT '2020-01-01'::timestamptz + i * interval '1 min', i % 7, i FROM generate_series(1, 500) i");
            assertEquals(List.of("{dn1,dn2}"), column(c, "SELECT DISTINCT data_nodes::text FROM timescaledb_information.chunks"));
            assertEquals(List.of("500"), column(c, "SELECT count(*)::text FROM r2"));
            // the fast path reads each chunk from one replica: no row counted twice
            assertTrue(String.join("\n", column(c, "EXPLAIN SELECT device, count(*), sum(v) FROM r2 GROUP BY device"))
                    .contains("DataNodeScan"), "the fast path takes the replicated hypertable");
            assertEquals(column(c, "SELECT i % 7 || ':' || count(*) || ':' || sum(i) FROM generate_series(1, 500) i GROUP BY i % 7 ORDER BY i % 7"),
                    column(c, "SELECT device || ':' || count(*) || ':' || sum(v) FROM r2 GROUP BY device ORDER BY device"));
            assertEquals(List.of("500"), column(c, "SELECT count(*) FROM r2 WHERE time >= '2020-01-01'"));
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT set_replication_factor('r2', 3)"));
            assertEquals("TS170", e.getSQLState());
        }
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db)) {
                assertEquals(List.of("500"), column(c, "SELECT count(*)::text FROM r2"));
            }
        }
    }

    @Test
    void deleteDataNodeRefusesToLoseDataAndForgetsAnEmptyNode() throws SQLException {
        String db = database();
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            createOnDn1(st);
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT delete_data_node('dn1')"));
            assertEquals("TS170", e.getSQLState());
            assertEquals(List.of("t"), column(c, "SELECT delete_data_node('dn2')"));
            assertEquals(List.of("dn1"), column(c, "SELECT node_name FROM timescaledb_information.data_nodes"));
        }
    }

    @Test
    void addDataNodeTwiceIsAnErrorUnlessIfNotExists() throws SQLException {
        String db = database();
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            int port = cluster.servers.dataNodes().getFirst().port();
            SQLException e = assertThrows(SQLException.class,
                    () -> st.execute("SELECT add_data_node('dn1', host => '127.0.0.1', port => " + port + ")"));
            assertEquals("TS120", e.getSQLState());
            assertEquals(List.of("f"), column(c, "SELECT node_created FROM add_data_node('dn1', host => '127.0.0.1', port => "
                    + port + ", if_not_exists => true)"));
        }
    }

    @Test
    void alterExtensionUpdateInstallsTheFunctionsAnOlderVersionLackedOnEveryNode() throws SQLException {
        String db = database();
        String lacking = "DROP AGGREGATE first(anyelement, timestamptz); DROP AGGREGATE last(anyelement, bigint)";
        String present = "SELECT (to_regprocedure('first(anyelement, timestamptz)') IS NOT NULL"
                + " AND to_regprocedure('last(anyelement, bigint)') IS NOT NULL)::text";
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute(lacking); // relayed to the access node database
            for (int i = 1; i <= 2; i++) {
                try (Connection dn = cluster.dataNode(i, db); Statement ds = dn.createStatement()) {
                    ds.execute(lacking);
                }
            }
            assertEquals(List.of("false"), column(c, present));
            st.execute("ALTER EXTENSION timescaledb UPDATE");
            assertEquals(List.of("true"), column(c, present));
            for (int i = 1; i <= 2; i++) {
                try (Connection dn = cluster.dataNode(i, db)) {
                    assertEquals(List.of("true"), column(dn, present), "data node " + i);
                }
            }
            createOnDn1(st);
            assertEquals(List.of("0 99"), column(c, "SELECT first(value, time) || ' ' || last(value, time) FROM m1"));
        }
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("ALTER EXTENSION timescaledb UPDATE"));
            assertEquals("42704", e.getSQLState(), e.getMessage());
        }
    }

    @Test
    void aTimeColumnWithFewerFractionalDigitsIsRefusedAsUnsupported() throws SQLException {
        try (Connection c = cluster.connect(database()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE coarse (time timestamptz(3) NOT NULL, device integer)");
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT create_distributed_hypertable('coarse', 'time', 'device')"));
            assertEquals("0A000", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("timestamp(3) with time zone"), e.getMessage());
        }
    }
}

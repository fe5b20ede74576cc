package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeds' tutorial (seeds/002) through pgjdbc with default settings (extended protocol, binary
 * parameters from the fifth execution on), against a real cluster.
 */
class TutorialThroughJdbcTest {
    static TestCluster cluster;
    static String db;

    @BeforeAll
    static void setUp() throws SQLException {
        cluster = TestCluster.get();
        db = cluster.newDatabase("tutorial_jdbc");
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE conditions (time timestamptz NOT NULL, device integer, temp float)");
            st.execute("SELECT create_distributed_hypertable('conditions', 'time', 'device')");
            st.execute("INSERT INTO conditions SELECT time, (random()*30)::int, random()*80 "
                    + "FROM generate_series('2019-01-01 00:00:00'::timestamptz, '2019-02-01 00:00:00', '1 min') AS time");
        }
    }

    @Test
    void generatedRowsAreAllReadableThroughTheAccessNode() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM conditions")) {
            rs.next();
            assertEquals(44641, rs.getLong(1));
        }
    }

    @Test
    void rowsLandOnBothDataNodesAndNowhereTwice() throws SQLException {
        long total = 0;
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM conditions WHERE time < '2019-02-01 00:00:01'")) {
                rs.next();
                assertTrue(rs.getLong(1) > 0, "data node " + i + " holds rows");
                total += rs.getLong(1);
            }
        }
        assertEquals(44641, total);
    }

    @Test
    void informationViewsDescribeTheDistributedHypertable() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT is_distributed, replication_factor, data_nodes::text, num_dimensions "
                     + "FROM timescaledb_information.hypertables WHERE hypertable_name = 'conditions'")) {
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(1));
            assertEquals(1, rs.getInt(2));
            assertEquals("{dn1,dn2}", rs.getString(3));
            assertEquals(2, rs.getInt(4));
        }
    }

    @Test
    void preparedInsertWithBinaryParametersRoutesEveryRow() throws SQLException {
        try (Connection c = cluster.connect(db)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO conditions (time, device, temp) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 12; i++) { // pgjdbc switches to a named statement and binary parameters after 5 runs
                    ps.setTimestamp(1, Timestamp.from(Instant.parse("2021-05-01T00:00:00Z").plusSeconds(i * 3600L)));
                    ps.setInt(2, 1000 + i);
                    ps.setDouble(3, i / 2.0);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*), sum(temp), min(device), max(device) FROM conditions WHERE device BETWEEN 1000 AND 1011")) {
                rs.next();
                assertEquals(12, rs.getLong(1));
                assertEquals(33.0, rs.getDouble(2));
                assertEquals(1000, rs.getInt(3));
                assertEquals(1011, rs.getInt(4));
            }
        }
    }

    @Test
    void batchedInsertInOneTransactionCommitsOnBothNodes() throws SQLException {
        try (Connection c = cluster.connect(db)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO conditions VALUES (?, ?, ?)")) {
                for (int i = 0; i < 200; i++) {
                    ps.setTimestamp(1, Timestamp.from(Instant.parse("2022-01-01T00:00:00Z").plusSeconds(i * 60L)));
                    ps.setInt(2, 2000 + i);
                    ps.setDouble(3, 1.5);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM conditions WHERE device BETWEEN 2000 AND 2199")) {
                rs.next();
                assertEquals(200, rs.getLong(1));
            }
        }
        long onNodes = 0;
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM conditions WHERE device BETWEEN 2000 AND 2199")) {
                rs.next();
                assertTrue(rs.getLong(1) > 0);
                onNodes += rs.getLong(1);
            }
        }
        assertEquals(200, onNodes);
    }

    @Test
    void rolledBackInsertLeavesNoRowOnAnyNode() throws SQLException {
        try (Connection c = cluster.connect(db)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO conditions VALUES ('2023-03-03', 3001, 1), ('2023-03-03', 3002, 2)");
            }
            c.rollback();
        }
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM conditions WHERE device IN (3001, 3002)")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }
}

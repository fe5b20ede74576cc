package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.timeshard.catalog.model.DataNode;
import io.timeshard.datanode.txn.InDoubtResolver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two-phase commit recovery: a transaction prepared on a data node whose access node transaction
 * recorded its gid (the commit point was passed) is committed by the resolver; one whose access node
 * transaction ended without a record is rolled back; one whose access node transaction is still in
 * progress is left alone.
 */
class InDoubtHealingTest {
    static TestCluster cluster;
    static String db;
    static DataNode dn1;

    @BeforeAll
    static void setUp() throws SQLException {
        cluster = TestCluster.get();
        db = cluster.newDatabase("healing");
        try (Connection c = cluster.dataNode(1, db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE healing_probe (id integer)");
        }
        var ep = cluster.servers.dataNodes().getFirst();
        dn1 = new DataNode("dn1", ep.host(), ep.port(), db);
    }

    /** Prepares an insert of {@code id} on data node 1 under {@code gid}. */
    private static void prepareOnDataNode(String gid, int id) throws SQLException {
        try (Connection c = cluster.dataNode(1, db); Statement st = c.createStatement()) {
            st.execute("BEGIN");
            st.execute("INSERT INTO healing_probe VALUES (" + id + ")");
            st.execute("PREPARE TRANSACTION '" + gid + "'");
        }
    }

    private static long probeRows(int id) throws SQLException {
        try (Connection c = cluster.dataNode(1, db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM healing_probe WHERE id = " + id)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long preparedCount(String gid) throws SQLException {
        try (Connection c = cluster.dataNode(1, db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_xacts WHERE gid = '" + gid + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int heal() throws SQLException {
        try (Connection an = java.sql.DriverManager.getConnection(
                cluster.servers.accessNodeDatabase().jdbcUrl(db), "postgres", null)) {
            return new InDoubtResolver(cluster.accessNode.pools()).heal(dn1, an);
        }
    }

    private static long accessNodeXid(Connection an) throws SQLException {
        try (Statement st = an.createStatement(); ResultSet rs = st.executeQuery("SELECT txid_current()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void preparedTransactionWithCommitRecordIsCommitted() throws SQLException {
        try (Connection an = java.sql.DriverManager.getConnection(cluster.servers.accessNodeDatabase().jdbcUrl(db), "postgres", null)) {
            an.setAutoCommit(false);
            String gid = "ts-1-" + accessNodeXid(an) + "-dn1";
            prepareOnDataNode(gid, 1);
            try (Statement st = an.createStatement()) {
                st.execute("INSERT INTO _timescaledb_catalog.remote_txn (data_node_name, remote_transaction_id) VALUES ('dn1', '" + gid + "')");
            }
            an.commit();
            heal();
            assertEquals(0, preparedCount(gid));
            assertEquals(1, probeRows(1));
        }
    }

    @Test
    void preparedTransactionWhoseAccessNodeTransactionAbortedIsRolledBack() throws SQLException {
        try (Connection an = java.sql.DriverManager.getConnection(cluster.servers.accessNodeDatabase().jdbcUrl(db), "postgres", null)) {
            an.setAutoCommit(false);
            String gid = "ts-1-" + accessNodeXid(an) + "-dn1";
            prepareOnDataNode(gid, 2);
            an.rollback();
            heal();
            assertEquals(0, preparedCount(gid));
            assertEquals(0, probeRows(2));
        }
    }

    @Test
    void preparedTransactionWhoseAccessNodeTransactionIsStillOpenIsLeftAlone() throws SQLException {
        try (Connection an = java.sql.DriverManager.getConnection(cluster.servers.accessNodeDatabase().jdbcUrl(db), "postgres", null)) {
            an.setAutoCommit(false);
            String gid = "ts-1-" + accessNodeXid(an) + "-dn1";
            prepareOnDataNode(gid, 3);
            heal();
            assertEquals(1, preparedCount(gid));
            an.rollback();
            heal();
            assertEquals(0, preparedCount(gid));
            assertEquals(0, probeRows(3));
        }
    }
}

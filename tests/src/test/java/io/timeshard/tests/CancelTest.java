package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client's cancel (the protocol's CancelRequest, pgjdbc's {@code Statement.cancel}) reaches the data
 * nodes running a fast-path read: the statement fails with 57014 at once, and the session goes on. The
 * remote query is held on a lock taken on the data node, so without the cancel it would wait for as
 * long as the lock is held.
 */
class CancelTest {
    private static final TestCluster cluster = TestCluster.get();
    private static String db;

    @BeforeAll
    static void setUp() throws SQLException {
        db = cluster.newDatabase("cancel");
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE conditions (time timestamptz NOT NULL, device integer, location text, temperature float)");
            st.execute("SELECT create_distributed_hypertable('conditions', 'time', 'device')");
            st.execute("INSERT INTO conditions SELECT '2024-01-01'::timestamptz + i * interval '1 hour', i % 10, "
                    + "'room-' || (i % 3), i % 37 FROM generate_series(0, 239) i");
        }
    }

    @Test
    void aCanceledFastPathReadStopsOnTheDataNodesAndTheSessionGoesOn() throws Exception {
        String sql = "SELECT location, max(temperature) FROM conditions GROUP BY location ORDER BY location";
        try (Connection client = cluster.connect(db); Connection node = cluster.dataNode(1, db)) {
            try (Statement st = client.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
                rs.next();
                assertEquals("Timeshard Combine (push-down: PARTIAL)", rs.getString(1), "the statement is on the fast path");
            }
            node.setAutoCommit(false);
            try (Statement lock = node.createStatement()) {
                lock.execute("DO $$ DECLARE r record; BEGIN FOR r IN SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables "
                        + "WHERE schemaname IN ('public', '_timescaledb_internal') LOOP "
                        + "EXECUTE 'LOCK TABLE ' || r.t || ' IN ACCESS EXCLUSIVE MODE'; END LOOP; END $$");
            }
            try {
                Statement st = client.createStatement();
                CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
                    try (ResultSet rs = st.executeQuery(sql)) {
                        return "no error";
                    } catch (SQLException e) {
                        return e.getSQLState() + " " + e.getMessage();
                    }
                });
                waitUntilBlockedOnALock(node);
                st.cancel();
                String outcome;
                try {
                    outcome = read.get(20, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("the read still waits for the data node's lock 20 s after the cancel");
                    return;
                }
                assertTrue(outcome.startsWith("57014 ") && outcome.contains("canceling statement due to user request"), outcome);
            } finally {
                node.rollback();
            }
            try (Statement st = client.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                int rows = 0;
                while (rs.next()) rows++;
                assertEquals(3, rows, "the session answers the next statement");
            }
        }
    }

    /** Waits (at most 20 s) until some session of the data node waits for a lock: the remote read. */
    private static void waitUntilBlockedOnALock(Connection node) throws SQLException, InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection watcher = cluster.dataNode(1, db); Statement st = watcher.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) return;
                }
                Thread.sleep(20);
            }
        }
        fail("the remote read never waited for the data node's lock");
    }
}

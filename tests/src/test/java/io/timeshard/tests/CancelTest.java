package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client's cancel (the protocol's CancelRequest, pgjdbc's {@code Statement.cancel}) and its
 * statement_timeout reach the data nodes running a fast-path read: the statement fails with 57014 at
 * once, and the session goes on. The remote query is held on a lock taken on the data node, so without
 * them it would wait for as long as the lock is held.
 */
class CancelTest {
    private static final TestCluster cluster = TestCluster.get();
    private static String db;

    @BeforeAll
    static void setUp() throws SQLException {
        db = cluster.newConditionsDatabase("cancel");
    }

    private static final String SQL = "SELECT location, max(temperature) FROM conditions GROUP BY location ORDER BY location";

    @Test
    void aCanceledFastPathReadStopsOnTheDataNodesAndTheSessionGoesOn() throws Exception {
        try (Connection client = cluster.connect(db)) {
            try (Statement st = client.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN " + SQL)) {
                rs.next();
                assertEquals("Timeshard Combine (push-down: PARTIAL)", rs.getString(1), "the statement is on the fast path");
            }
            String outcome = readHeldByALock(client, 0);
            assertTrue(outcome.startsWith("57014 ") && outcome.contains("canceling statement due to user request"), outcome);
            assertEquals(3, rows(client, SQL), "the session answers the next statement");
        }
    }

    @Test
    void statementTimeoutEndsAFastPathReadOnTheDataNodes() throws Exception {
        try (Connection client = cluster.connect(db); Statement st = client.createStatement()) {
            st.execute("SET statement_timeout = '300ms'");
            String outcome = readHeldByALock(client, -1);
            assertTrue(outcome.startsWith("57014 ") && outcome.contains("canceling statement due to statement timeout"), outcome);
            assertEquals(3, rows(client, SQL), "a read that takes less is answered");
            st.execute("SET statement_timeout = 0");
            outcome = readHeldByALock(client, 800);
            assertTrue(outcome.contains("canceling statement due to user request"), "no timeout after SET 0: " + outcome);
            client.setAutoCommit(false);
            st.execute("SET LOCAL statement_timeout = '300ms'");
            assertEquals(3, rows(client, SQL));
            client.rollback();
            client.setAutoCommit(true);
            outcome = readHeldByALock(client, 800);
            assertTrue(outcome.contains("canceling statement due to user request"), "SET LOCAL ends with its transaction: " + outcome);
        }
    }

    private static int rows(Connection client, String sql) throws SQLException {
        try (Statement st = client.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int rows = 0;
            while (rs.next()) rows++;
            return rows;
        }
    }

    /**
     * Runs {@link #SQL} while a transaction on data node 1 holds every table of the database.
     *
     * @param cancelAfterMillis cancel the read this long after its remote read waits for the lock; -1: never
     *
     * @return how the read ended: its SQLSTATE and message, or "no error"
     */
    private static String readHeldByALock(Connection client, long cancelAfterMillis) throws Exception {
        try (Connection node = cluster.dataNode(1, db)) {
            node.setAutoCommit(false);
            try (Statement lock = node.createStatement()) {
                lock.execute("DO $$ DECLARE r record; BEGIN FOR r IN SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables "
                        + "WHERE schemaname IN ('public', '_timescaledb_internal') LOOP "
                        + "EXECUTE 'LOCK TABLE ' || r.t || ' IN ACCESS EXCLUSIVE MODE'; END LOOP; END $$");
            }
            try {
                Statement st = client.createStatement();
                CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
                    try (ResultSet rs = st.executeQuery(SQL)) {
                        return "no error";
                    } catch (SQLException e) {
                        return e.getSQLState() + " " + e.getMessage();
                    }
                });
                if (cancelAfterMillis >= 0) {
                    waitUntilBlockedOnALock();
                    Thread.sleep(cancelAfterMillis);
                    st.cancel();
                }
                try {
                    return read.get(20, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("the read still waits for the data node's lock after 20 s");
                    return null;
                }
            } finally {
                node.rollback();
            }
        }
    }

    /** Waits (at most 20 s) until some session of the data node waits for a lock: the remote read. */
    private static void waitUntilBlockedOnALock() throws SQLException, InterruptedException {
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

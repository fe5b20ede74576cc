package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.timeshard.accessnode.wire.BackendFrame;
import io.timeshard.accessnode.wire.FrontendMessage;
import io.timeshard.accessnode.wire.PgProtocolClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transaction state across the extended protocol, at the wire level: a BEGIN that the access node
 * relays and an INSERT it runs itself, in one segment (as drivers pipeline them), must leave the
 * client inside its transaction — ReadyForQuery 'T' — so that ROLLBACK undoes the INSERT everywhere.
 */
class ExtendedProtocolTransactionTest {
    static TestCluster cluster;
    static String db;

    @BeforeAll
    static void setUp() throws SQLException {
        cluster = TestCluster.get();
        db = cluster.newDatabase("extended_txn");
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (time timestamptz NOT NULL, device integer)");
            st.execute("SELECT create_distributed_hypertable('t', 'time', 'device')");
        }
    }

    private static char runToReady(PgProtocolClient c) {
        while (true) {
            BackendFrame f = c.read();
            if (f.type() == 'E') throw f.toException();
            if (f.type() == 'Z') return f.readyStatus();
        }
    }

    private static void extended(PgProtocolClient c, String sql) {
        c.send(new FrontendMessage.Parse("", sql, new int[0]));
        c.send(new FrontendMessage.Bind("", "", new short[0], new byte[0][], new short[0]));
        c.send(new FrontendMessage.Execute("", 0));
    }

    private static long rowsOnDataNodes() throws SQLException {
        long n = 0;
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        return n;
    }

    @Test
    void relayedBeginAndOurInsertInOneSegmentStayInTheClientsTransaction() throws SQLException {
        PgProtocolClient c = PgProtocolClient.connect("127.0.0.1", cluster.port,
                new LinkedHashMap<>(Map.of("user", "postgres", "database", db)), null);
        try {
            extended(c, "BEGIN");
            extended(c, "INSERT INTO t VALUES ('2020-01-01', 1), ('2020-01-01', 2), ('2020-01-01', 3)");
            c.send(new FrontendMessage.Sync());
            c.flush();
            assertEquals('T', runToReady(c));
            c.send(new FrontendMessage.Query("ROLLBACK"));
            c.flush();
            assertEquals('I', runToReady(c));
        } finally {
            c.close();
        }
        assertEquals(0, rowsOnDataNodes());
    }
}

package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bytea values read from the data nodes by a prepared remote read: the data node pools' sessions take bytea
 * in binary from a kept statement's second run (so that the binary record of a merge or a pass-through comes
 * as bytes), and the read path must still hand a bytea column on as PostgreSQL prints it — to a client asking
 * for text and to one asking for binary, on every run, including the first ones still in text.
 */
class ByteaReadTest {
    static TestCluster cluster;
    static String db;
    static final byte[][] PAYLOADS = {new byte[0], {0, 1, 2}, {(byte) 0xff, (byte) 0x80, 0x5c, 0x78}, null};

    @BeforeAll
    static void setUp() throws SQLException {
        cluster = TestCluster.get();
        db = cluster.newDatabase("bytea_read");
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE blobs (time timestamptz NOT NULL, device integer, payload bytea)");
            st.execute("SELECT create_distributed_hypertable('blobs', 'time', 'device')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO blobs VALUES ('2024-01-01'::timestamptz + ? * interval '1 hour', ?, ?)")) {
                for (int i = 0; i < 8; i++) {
                    ps.setInt(1, i);
                    ps.setInt(2, i % 2);
                    ps.setBytes(3, PAYLOADS[i % PAYLOADS.length]);
                    ps.executeUpdate();
                }
            }
        }
    }

    /** @return the payloads of {@code device}, newest first, as the client reads them on each of ten runs */
    private static List<List<Object>> read(int device, String extra, boolean asText) throws SQLException {
        List<List<Object>> runs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cluster.port + "/" + db + extra, "postgres", null);
             PreparedStatement ps = c.prepareStatement("SELECT payload FROM blobs WHERE device = ? ORDER BY time DESC LIMIT 4")) {
            for (int run = 0; run < 10; run++) {
                ps.setInt(1, device);
                List<Object> values = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) values.add(asText ? rs.getString(1) : rs.getBytes(1));
                }
                runs.add(values);
            }
        }
        return runs;
    }

    @Test
    void aByteaColumnReadsAsPostgresqlPrintsItOnEveryRun() throws SQLException {
        // device 0: rows 0, 2, 4, 6 → payloads 0, 2, 0, 2; newest first: 2, 0, 2, 0
        for (List<Object> run : read(0, "?prepareThreshold=0", true)) {
            assertEquals(List.of("\\xff805c78", "\\x", "\\xff805c78", "\\x"), run);
        }
        for (List<Object> run : read(0, "", false)) {
            assertEquals(4, run.size());
            assertArrayEquals(PAYLOADS[2], (byte[]) run.get(0));
            assertArrayEquals(PAYLOADS[0], (byte[]) run.get(1));
        }
    }

    @Test
    void nullAndSmallValuesSurviveTheBinaryRead() throws SQLException {
        // device 1: rows 1, 3, 5, 7 → payloads 1, 3 (NULL), 1, 3; newest first: NULL, 1, NULL, 1
        String one = "\\x" + HexFormat.of().formatHex(PAYLOADS[1]);
        for (List<Object> run : read(1, "?prepareThreshold=0", true)) {
            assertEquals(java.util.Arrays.asList(null, one, null, one), run);
        }
        for (List<Object> run : read(1, "", false)) {
            assertNull(run.get(0));
            assertArrayEquals(PAYLOADS[1], (byte[]) run.get(1));
        }
    }
}

package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probes of regular tables (a lateral join's outer rows, an IN subquery) run as statements the client's
 * backend session keeps prepared under names of the access node's. What the client does to its session's
 * prepared statements and to the tables must not change an answer: DISCARD ALL and DEALLOCATE ALL drop them,
 * ALTER TABLE changes what they return, and a transaction block probes under a savepoint.
 */
class KeptProbeTest {
    static TestCluster cluster;
    static String db;
    static final String LASTPOINT = "SELECT DISTINCT ON (t.hostname) * FROM tags t INNER JOIN LATERAL (SELECT * FROM cpu c "
            + "WHERE c.tags_id = t.id ORDER BY time DESC LIMIT 1) AS b ON true ORDER BY t.hostname, b.time DESC";
    static final String IN_TAGS = "SELECT tags_id, max(usage) FROM cpu WHERE tags_id IN (SELECT id FROM tags WHERE hostname <> 'h3') "
            + "GROUP BY tags_id ORDER BY tags_id";

    @BeforeAll
    static void setUp() throws SQLException {
        cluster = TestCluster.get();
        db = cluster.newDatabase("kept_probe");
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE tags (id integer PRIMARY KEY, hostname text)");
            st.execute("INSERT INTO tags SELECT i, 'h' || i FROM generate_series(1, 4) i");
            st.execute("CREATE TABLE cpu (time timestamptz NOT NULL, tags_id integer, hostname text, usage double precision)");
            st.execute("SELECT create_distributed_hypertable('cpu', 'time', 'hostname', chunk_time_interval => interval '1 hour')");
            st.execute("INSERT INTO cpu SELECT '2024-01-01'::timestamptz + m * interval '10 minutes', i, 'h' || i, i * 10 + m"
                    + " FROM generate_series(1, 4) i, generate_series(0, 17) m");
        }
    }

    /**
     * @return the rows of {@code sql} run prepared, each as its columns' objects ({@code getObject}: the same in
     *         pgjdbc's text and binary reads) joined by |
     */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) row.append(i > 1 ? "|" : "").append(rs.getObject(i));
                out.add(row.toString());
            }
        }
        return out;
    }

    @Test
    void discardAndDeallocateBetweenRunsChangeNoAnswer() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            List<String> lastpoint = rows(c, LASTPOINT);
            List<String> in = rows(c, IN_TAGS);
            assertEquals(4, lastpoint.size());
            assertEquals("1|h1|" + java.sql.Timestamp.from(java.time.Instant.parse("2024-01-01T02:50:00Z")) + "|1|h1|27.0", lastpoint.getFirst());
            assertEquals(List.of("1|27.0", "2|37.0", "4|57.0"), in);
            for (String reset : List.of("DISCARD ALL", "DEALLOCATE ALL", "DISCARD PLANS")) {
                for (int run = 0; run < 7; run++) { // past pgjdbc's fifth run, when it keeps its own statements
                    assertEquals(lastpoint, rows(c, LASTPOINT), reset + ", run " + run);
                    assertEquals(in, rows(c, IN_TAGS), reset + ", run " + run);
                }
                st.execute(reset);
            }
            assertEquals(lastpoint, rows(c, LASTPOINT));
        }
    }

    @Test
    void aColumnAddedToTheProbedTableShowsAtOnce() throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            for (int run = 0; run < 3; run++) rows(c, LASTPOINT);
            st.execute("CREATE TABLE tags_copy AS SELECT * FROM tags");
            st.execute("ALTER TABLE tags ADD COLUMN rack text DEFAULT 'r1'");
            try {
                for (int run = 0; run < 3; run++) {
                    List<String> rows = rows(c, LASTPOINT);
                    assertEquals(4, rows.size());
                    assertEquals("h1|r1|", rows.getFirst().substring(2, 8), "the new column, before cpu's");
                }
                st.execute("UPDATE tags SET hostname = 'h9' WHERE id = 1");
                List<String> renamed = rows(c, LASTPOINT);
                assertEquals("2|h2|r1", renamed.getFirst().substring(0, 7));
                assertEquals("1|h9|r1", renamed.get(3).substring(0, 7), "h9 sorts last");
                st.execute("BEGIN");
                st.execute("UPDATE tags SET hostname = 'h0' WHERE id = 1");
                assertEquals("1|h0|r1", rows(c, LASTPOINT).getFirst().substring(0, 7), "the block's own change, probed under a savepoint");
                st.execute("ROLLBACK");
                assertEquals("2|h2|r1", rows(c, LASTPOINT).getFirst().substring(0, 7));
            } finally {
                st.execute("DROP TABLE tags");
                st.execute("ALTER TABLE tags_copy RENAME TO tags");
                st.execute("ALTER TABLE tags ADD PRIMARY KEY (id)");
            }
        }
    }
}

package io.timeshard.catalog.partitioning;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** One embedded PostgreSQL 15 per test class, asked to compute expected values in batches. */
public final class ServerOracle implements AutoCloseable {
    private final EmbeddedPostgres pg;
    public final Connection conn;

    private ServerOracle(EmbeddedPostgres pg, Connection conn) {
        this.pg = pg;
        this.conn = conn;
    }

    public static ServerOracle start() throws IOException, SQLException {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        return new ServerOracle(pg, pg.getPostgresDatabase().getConnection());
    }

    /** Runs partitioning.sql, as a node does when it joins. */
    void installPartitioningSql() throws IOException, SQLException {
        try (InputStream in = ServerOracle.class.getResourceAsStream("/sql/partitioning.sql");
             Statement st = conn.createStatement()) {
            st.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * Evaluates {@code expression} (over column {@code x}) for every element of {@code values},
     * passed as one array of {@code arrayType}, in one query; results in input order, as strings.
     */
    List<String> eval(String expression, String arrayType, Object[] values) throws SQLException {
        Array array = conn.createArrayOf(arrayType, values);
        String sql = "SELECT (" + expression + ")::text FROM unnest(?) WITH ORDINALITY AS t(x, i) ORDER BY i";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setArray(1, array);
            List<String> out = new ArrayList<>(values.length);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** As {@link #eval} for an int4 result. */
    List<Integer> evalInts(String expression, String arrayType, Object[] values) throws SQLException {
        return eval(expression, arrayType, values).stream().map(Integer::valueOf).toList();
    }

    /** The single value of a one-row, one-column query, as text. */
    public String scalar(String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws Exception {
        conn.close();
        pg.close();
    }
}

package io.timeshard.catalog.store;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.DataNode;
import io.timeshard.catalog.model.Dimension;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.partitioning.SliceRange;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the catalog ({@code _timescaledb_catalog}) in an access node database through a
 * JDBC connection the caller owns (and whose transaction the caller controls). Stateless and
 * thread-safe; every method takes the connection to use.
 *
 * <p>SQL errors are rethrown as {@link PgException} with the server's SQLSTATE.
 */
public final class CatalogStore {
    /** Resource with the SQL helper functions installed on every node (partition hash, time conversion). */
    public static final String PARTITIONING_SQL = "/sql/partitioning.sql";
    /** Resource with TimescaleDB's time_bucket() overloads, installed on every node. */
    public static final String TIME_BUCKET_SQL = "/sql/time_bucket.sql";
    /** Resource with TimescaleDB's first()/last() aggregates, installed on every node. */
    public static final String FIRST_LAST_SQL = "/sql/first_last.sql";
    /** Resource with the access node catalog, information views and SQL-level API. */
    public static final String ACCESS_NODE_SQL = "/sql/access-node-catalog.sql";

    /** @return the text of a bundled SQL resource, never null */
    public static String resource(String name) {
        try (InputStream in = CatalogStore.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    /** @return the SQL functions every node needs (partition hash, time conversion, time_bucket, first/last), as one script */
    public static String nodeFunctionsSql() {
        return resource(PARTITIONING_SQL) + "\n" + resource(TIME_BUCKET_SQL) + "\n" + resource(FIRST_LAST_SQL);
    }

    /** Installs (idempotently) the helper functions and the catalog into the connection's database. */
    public void install(Connection c) {
        exec(c, nodeFunctionsSql());
        exec(c, resource(ACCESS_NODE_SQL));
    }

    /** @return true when the catalog schema exists in the connection's database */
    public boolean isInstalled(Connection c) {
        return queryOne(c, "SELECT to_regclass('_timescaledb_catalog.hypertable') IS NOT NULL", rs -> rs.getBoolean(1));
    }

    /** @return every data node (foreign servers of {@code timescaledb_fdw}), ordered by name */
    public List<DataNode> dataNodes(Connection c) {
        String sql = "SELECT s.srvname, s.srvoptions FROM pg_catalog.pg_foreign_server s "
                + "JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw "
                + "WHERE w.fdwname = 'timescaledb_fdw' ORDER BY s.srvname";
        List<DataNode> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, String> opts = new HashMap<>();
                Array a = rs.getArray(2);
                if (a != null) {
                    for (Object o : (Object[]) a.getArray()) {
                        String s = (String) o;
                        int eq = s.indexOf('=');
                        opts.put(s.substring(0, eq), s.substring(eq + 1));
                    }
                }
                out.add(new DataNode(rs.getString(1), opts.getOrDefault("host", "localhost"),
                        Integer.parseInt(opts.getOrDefault("port", "5432")), opts.getOrDefault("dbname", "postgres")));
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /** @return every hypertable with its dimensions, data nodes and columns, ordered by id */
    public List<Hypertable> hypertables(Connection c) {
        List<Hypertable> out = new ArrayList<>();
        Map<Integer, Object[]> rows = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, schema_name, table_name, replication_factor FROM _timescaledb_catalog.hypertable ORDER BY id")) {
            while (rs.next()) rows.put(rs.getInt(1), new Object[] {rs.getString(2), rs.getString(3), rs.getInt(4)});
        } catch (SQLException e) {
            throw translate(e);
        }
        for (Map.Entry<Integer, Object[]> e : rows.entrySet()) {
            int id = e.getKey();
            String schema = (String) e.getValue()[0];
            String table = (String) e.getValue()[1];
            Dimension time = null;
            Dimension space = null;
            for (Dimension d : dimensions(c, id)) {
                if (d.open() && time == null) time = d;
                else if (!d.open() && space == null) space = d;
            }
            List<String> nodes = queryList(c, "SELECT node_name FROM _timescaledb_catalog.hypertable_data_node "
                    + "WHERE hypertable_id = ? ORDER BY node_name", id);
            List<String> blocked = queryList(c, "SELECT node_name FROM _timescaledb_catalog.hypertable_data_node "
                    + "WHERE hypertable_id = ? AND block_chunks ORDER BY node_name", id);
            out.add(new Hypertable(id, schema, table, (Integer) e.getValue()[2], time, space, nodes, blocked, columns(c, schema, table)));
        }
        return out;
    }

    private List<Dimension> dimensions(Connection c, int hypertableId) {
        List<Dimension> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, column_name, format_type(column_type, NULL), aligned, "
                + "coalesce(num_slices, 0), coalesce(interval_length, 0) FROM _timescaledb_catalog.dimension "
                + "WHERE hypertable_id = ? ORDER BY id")) {
            ps.setInt(1, hypertableId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Dimension(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getInt(5), rs.getLong(6)));
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /** @return the columns of table {@code schema.table} in attribute order; empty if it does not exist */
    public List<Column> columns(Connection c, String schema, String table) {
        List<Column> out = new ArrayList<>();
        String sql = "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid, a.attnotnull, "
                + "pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attribute a "
                + "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) "
                + "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Column(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /** @return the chunks of a hypertable with their slices and replica nodes, ordered by id */
    public List<Chunk> chunks(Connection c, Hypertable ht) {
        String sql = "SELECT ch.id, ch.schema_name, ch.table_name, ts.id, ts.range_start, ts.range_end, "
                + "ss.id, ss.range_start, ss.range_end, "
                + "(SELECT array_agg(cdn.node_name ORDER BY cdn.node_name) FROM _timescaledb_catalog.chunk_data_node cdn WHERE cdn.chunk_id = ch.id) "
                + "FROM _timescaledb_catalog.chunk ch "
                + "JOIN _timescaledb_catalog.chunk_constraint tc ON tc.chunk_id = ch.id "
                + "JOIN _timescaledb_catalog.dimension_slice ts ON ts.id = tc.dimension_slice_id AND ts.dimension_id = ? "
                + "LEFT JOIN _timescaledb_catalog.chunk_constraint sc ON sc.chunk_id = ch.id AND sc.dimension_slice_id <> ts.id "
                + "LEFT JOIN _timescaledb_catalog.dimension_slice ss ON ss.id = sc.dimension_slice_id AND ss.dimension_id = ? "
                + "WHERE ch.hypertable_id = ? ORDER BY ch.id";
        List<Chunk> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, ht.time().id());
            ps.setInt(2, ht.space() == null ? -1 : ht.space().id());
            ps.setInt(3, ht.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int spaceId = rs.getInt(7);
                    SliceRange space = rs.wasNull() ? null : new SliceRange(rs.getLong(8), rs.getLong(9));
                    Array nodes = rs.getArray(10);
                    List<String> nodeList = nodes == null ? List.of() : List.of((String[]) nodes.getArray());
                    out.add(new Chunk(rs.getInt(1), ht.id(), rs.getString(2), rs.getString(3), rs.getInt(4),
                            new SliceRange(rs.getLong(5), rs.getLong(6)), space == null ? 0 : spaceId, space, nodeList));
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /** @return a new chunk id from {@code _timescaledb_catalog.chunk_id_seq} (not transactional) */
    public int nextChunkId(Connection c) {
        return queryOne(c, "SELECT nextval('_timescaledb_catalog.chunk_id_seq')::integer", rs -> rs.getInt(1));
    }

    /** @return a new dimension slice id (not transactional) */
    public int nextSliceId(Connection c) {
        return queryOne(c, "SELECT nextval(pg_get_serial_sequence('_timescaledb_catalog.dimension_slice', 'id'))::integer",
                rs -> rs.getInt(1));
    }

    /** @return the id of the slice [range] of a dimension if it exists */
    public Optional<Integer> sliceId(Connection c, int dimensionId, SliceRange range) {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM _timescaledb_catalog.dimension_slice "
                + "WHERE dimension_id = ? AND range_start = ? AND range_end = ?")) {
            ps.setInt(1, dimensionId);
            ps.setLong(2, range.start());
            ps.setLong(3, range.end());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * @return the SQL that records a prepared remote transaction's gid at the commit point
     *         ({@code _timescaledb_catalog.remote_txn}); its presence means "committed" to the healer
     */
    public static String remoteTxnRecordSql(String dataNode, String gid) {
        return "INSERT INTO _timescaledb_catalog.remote_txn (data_node_name, remote_transaction_id) VALUES ("
                + io.timeshard.catalog.model.Identifiers.literal(dataNode) + ", "
                + io.timeshard.catalog.model.Identifiers.literal(gid) + ")";
    }

    /** Runs a script (several statements) on {@code c}. */
    public static void exec(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Maps one row of a result. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** @return the mapped first row of {@code sql} with positional string/int/long parameters */
    public static <T> T queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new PgException(SqlState.INTERNAL_ERROR, "catalog query returned no row: " + sql);
                return mapper.map(rs);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** @return the first column of every row of {@code sql} as strings */
    public static List<String> queryList(Connection c, String sql, Object... params) {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /** @return {@code e} as a PgException keeping the server's SQLSTATE, message, detail and hint */
    public static PgException translate(SQLException e) {
        if (e instanceof org.postgresql.util.PSQLException pe && pe.getServerErrorMessage() != null) {
            var m = pe.getServerErrorMessage();
            return new PgException(m.getSQLState() == null ? SqlState.INTERNAL_ERROR : m.getSQLState(), m.getMessage(), e)
                    .detail(m.getDetail()).hint(m.getHint());
        }
        String state = e.getSQLState() == null ? SqlState.CONNECTION_FAILURE : e.getSQLState();
        return new PgException(state, String.valueOf(e.getMessage()), e);
    }
}

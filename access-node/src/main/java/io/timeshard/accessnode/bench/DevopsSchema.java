package io.timeshard.accessnode.bench;

import io.timeshard.catalog.store.CatalogStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The TSBS tables ({@code shared/reference/tsbs-devops.md} §A2, with {@code --in-table-partition-tag}):
 * {@code tags} and {@code cpu} with {@code hostname} in it, and TSBS's indexes {@code (hostname, time DESC)}
 * and {@code (time DESC)}, plus {@code (tags_id, time DESC)} for the tags form of the queries. On the
 * cluster {@code cpu} is a distributed hypertable partitioned by {@code hostname} with 12-hour chunks
 * ({@code create_default_indexes => false}, indexes made on the data nodes with {@code distributed_exec},
 * as TSBS makes them); {@code tags} is a regular table in the access node database. On the single
 * server both are plain tables: it has no TimescaleDB.
 *
 * <p>Also makes sure {@code time_bucket(interval, timestamptz)} exists on every server (see
 * {@link #ensureTimeBucketOnCluster} and {@link #ensureTimeBucketOnSingle}). Not thread-safe: one
 * connection per call.
 */
final class DevopsSchema {
    private DevopsSchema() {}

    static final String CREATE_TAGS = "CREATE TABLE tags(id SERIAL PRIMARY KEY, hostname TEXT, region TEXT, datacenter TEXT,"
            + " rack TEXT, os TEXT, arch TEXT, team TEXT, service TEXT, service_version TEXT, service_environment TEXT)";
    static final List<String> TAGS_INDEXES = List.of(
            "CREATE UNIQUE INDEX uniq1 ON tags(hostname, region, datacenter, rack, os, arch, team, service, service_version, service_environment)",
            "CREATE INDEX ON tags(hostname)");
    static final String CREATE_CPU = "CREATE TABLE cpu(time timestamptz, tags_id integer, hostname TEXT, "
            + String.join(" DOUBLE PRECISION, ", DevopsGenerator.FIELDS) + " DOUBLE PRECISION, additional_tags JSONB DEFAULT NULL)";
    static final List<String> CPU_INDEXES = List.of(
            "CREATE INDEX ON cpu(hostname, time DESC)",
            "CREATE INDEX ON cpu(time DESC)",
            "CREATE INDEX ON cpu(tags_id, time DESC)");
    /** The stand-in until Timeshard's own time_bucket is installed: TimescaleDB's origin (a Monday) for date_bin. */
    static final String FALLBACK_TIME_BUCKET = "CREATE OR REPLACE FUNCTION time_bucket(bucket_width interval, ts timestamptz)"
            + " RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT date_bin(bucket_width, ts, timestamptz '2000-01-03 00:00:00+00') $$";

    /**
     * On a fresh database behind the access node: the extension, the data nodes, the tags table and
     * the distributed hypertable {@code cpu}.
     *
     * @param dataNodePorts the data nodes' ports on 127.0.0.1, named dn1, dn2…
     */
    static void createOnCluster(Connection c, List<Integer> dataNodePorts) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            for (int i = 0; i < dataNodePorts.size(); i++) {
                st.execute("SELECT add_data_node('dn" + (i + 1) + "', host => '127.0.0.1', port => " + dataNodePorts.get(i) + ")");
            }
            createTags(st);
            st.execute(CREATE_CPU);
            st.execute("SELECT create_distributed_hypertable('cpu', 'time', 'hostname',"
                    + " chunk_time_interval => INTERVAL '12 hours', create_default_indexes => false)");
            for (String index : CPU_INDEXES) st.execute("CALL distributed_exec($ts$" + index + "$ts$)");
        }
    }

    /** On a fresh database of the plain PostgreSQL: the tags table and the plain table {@code cpu}. */
    static void createOnSingle(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            createTags(st);
            st.execute(CREATE_CPU);
            for (String index : CPU_INDEXES) st.execute(index);
        }
    }

    private static void createTags(Statement st) throws SQLException {
        st.execute(CREATE_TAGS);
        for (String index : TAGS_INDEXES) st.execute(index);
    }

    /** Inserts the hosts' tags rows (ids 1..n, as TSBS's SERIAL gives them in host order). */
    static void insertTags(Connection c, List<DevopsGenerator.Host> hosts) throws SQLException {
        String sql = "INSERT INTO tags(id, " + String.join(", ", DevopsGenerator.Host.COLUMNS) + ") VALUES (?"
                + ", ?".repeat(DevopsGenerator.Host.COLUMNS.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (DevopsGenerator.Host h : hosts) {
                ps.setInt(1, h.id());
                List<String> values = h.values();
                for (int i = 0; i < values.size(); i++) ps.setString(i + 2, values.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (Statement st = c.createStatement()) {
            st.execute("SELECT setval('tags_id_seq', " + hosts.size() + ")");
        }
    }

    /**
     * Makes sure the access node database and the data nodes have {@code time_bucket}: if the access
     * node database lacks it (Timeshard's own is not installed yet), the fallback is created there
     * and on every data node with {@code distributed_exec}.
     *
     * @return which time_bucket the cluster uses, for the report
     */
    static String ensureTimeBucketOnCluster(Connection c) throws SQLException {
        if (hasTimeBucket(c)) return "Timeshard's time_bucket (installed by CREATE EXTENSION timescaledb and add_data_node)";
        try (Statement st = c.createStatement()) {
            st.execute("CALL distributed_exec($ts$" + FALLBACK_TIME_BUCKET + "$ts$)");
            st.execute(FALLBACK_TIME_BUCKET);
        }
        return "the bench's fallback time_bucket (a SQL function over date_bin), on the access node database and the data nodes";
    }

    /**
     * Makes sure the plain PostgreSQL has {@code time_bucket}: Timeshard's SQL ({@code /sql/time_bucket.sql}
     * of the catalog module) when the build has it, otherwise the fallback.
     *
     * @return which time_bucket the single server uses, for the report
     */
    static String ensureTimeBucketOnSingle(Connection c) throws SQLException {
        if (hasTimeBucket(c)) return "time_bucket already present";
        String sql;
        String which;
        try {
            sql = CatalogStore.resource("/sql/time_bucket.sql");
            which = "Timeshard's time_bucket (/sql/time_bucket.sql)";
        } catch (IllegalStateException missing) {
            sql = FALLBACK_TIME_BUCKET;
            which = "the bench's fallback time_bucket (a SQL function over date_bin)";
        }
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
        if (!hasTimeBucket(c)) throw new SQLException("time_bucket(interval, timestamptz) is still missing after installing " + which);
        return which;
    }

    private static boolean hasTimeBucket(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regprocedure('time_bucket(interval,timestamptz)') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

package io.timeshard.planner.plan;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One embedded PostgreSQL holding the differential data set: schema {@code whole} with every row,
 * and the same rows split two ways into two "data nodes" each — by device ({@code bydevice1/2}: a
 * device's rows on one node, NULL devices on the first, as space partitioning places them) and by
 * hour ({@code byhour1/2}: every device on both nodes); schema {@code empty} has no row. The
 * session runs in America/New_York (the
 * data crosses its 2024 DST change), and a {@code time_bucket} stand-in built on {@code date_bin}
 * lives in public.
 */
final class TestServer implements AutoCloseable {
    static final List<String> SCHEMAS = List.of("whole", "bydevice1", "bydevice2", "byhour1", "byhour2", "empty");

    private final EmbeddedPostgres pg;
    final Connection conn;

    private TestServer(EmbeddedPostgres pg, Connection conn) {
        this.pg = pg;
        this.conn = conn;
    }

    static TestServer start() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        TestServer server = new TestServer(pg, pg.getPostgresDatabase().getConnection());
        server.load();
        return server;
    }

    private void load() throws SQLException {
        execute("SET TimeZone = 'America/New_York'");
        for (String schema : SCHEMAS) {
            execute("CREATE SCHEMA " + schema);
            execute(Conditions.DDL.formatted(schema + ".conditions"));
        }
        execute("""
                INSERT INTO whole.conditions
                SELECT '2024-03-09 00:00:00+00'::timestamptz + i * interval '37 minutes 13.123457 seconds',
                       CASE WHEN i % 17 = 0 THEN NULL ELSE i % 7 END,
                       (ARRAY['office_1', 'office_2', 'Garage', 'élan', NULL])[i % 5 + 1],
                       CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 40) * 0.25 + 10 END,
                       ((i * 7) % 100) / 10.0,
                       CASE WHEN i % 13 = 0 THEN NULL ELSE round((i * 1.2345) % 50, 3) - 20 END,
                       (i * 1000003) * (CASE WHEN i % 4 = 0 THEN -1 ELSE 1 END),
                       CASE i % 3 WHEN 0 THEN true WHEN 1 THEN false END,
                       CASE WHEN i % 10 = 0 THEN NULL ELSE 'n' || (i % 9) END,
                       date '2024-01-01' + (i % 60),
                       (i % 100) - 50,
                       '2024-03-09 00:00'::timestamp + i * interval '1 hour 7 minutes'
                FROM generate_series(1, 600) AS i""");
        // special values: numeric NaN and float Infinity/NaN in groups of their own devices
        execute("""
                INSERT INTO whole.conditions (time, device, location, temperature, reading, small, ok)
                VALUES ('2024-03-20 10:00:00+00', 3, 'office_1', 'Infinity', 'NaN', 7, true),
                       ('2024-03-20 11:00:00+00', 5, 'Garage', 'NaN', 1.5, 8, false),
                       ('2024-03-20 12:00:00+00', 6, 'office_2', '-Infinity', -2.25, 9, NULL)""");
        execute("INSERT INTO bydevice1.conditions SELECT * FROM whole.conditions WHERE device IS NULL OR device % 2 = 0");
        execute("INSERT INTO bydevice2.conditions SELECT * FROM whole.conditions WHERE device % 2 = 1");
        execute("INSERT INTO byhour1.conditions SELECT * FROM whole.conditions WHERE extract(hour FROM time AT TIME ZONE 'UTC')::int % 2 = 0");
        execute("INSERT INTO byhour2.conditions SELECT * FROM whole.conditions WHERE extract(hour FROM time AT TIME ZONE 'UTC')::int % 2 = 1");
        execute("""
                CREATE FUNCTION public.time_bucket(bucket interval, ts timestamptz) RETURNS timestamptz
                  LANGUAGE sql IMMUTABLE AS $$ SELECT date_bin(bucket, ts, timestamptz '2000-01-03 00:00:00+00') $$""");
        execute("""
                CREATE FUNCTION public.time_bucket(bucket interval, ts timestamp) RETURNS timestamp
                  LANGUAGE sql IMMUTABLE AS $$ SELECT date_bin(bucket, ts, timestamp '2000-01-03 00:00:00') $$""");
        execute("""
                CREATE FUNCTION public.time_bucket(bucket interval, d date) RETURNS date
                  LANGUAGE sql IMMUTABLE AS $$ SELECT date_bin(bucket, d::timestamp, timestamp '2000-01-03 00:00:00')::date $$""");
        execute("""
                CREATE FUNCTION public.time_bucket(bucket integer, v integer) RETURNS integer
                  LANGUAGE sql IMMUTABLE AS $$ SELECT v - ((v % bucket) + bucket) % bucket $$""");
        execute("""
                CREATE FUNCTION public.time_bucket(bucket smallint, v smallint) RETURNS smallint
                  LANGUAGE sql IMMUTABLE AS $$ SELECT (v - ((v % bucket) + bucket) % bucket)::smallint $$""");
        execute("""
                CREATE FUNCTION public.time_bucket(bucket bigint, v bigint) RETURNS bigint
                  LANGUAGE sql IMMUTABLE AS $$ SELECT v - ((v % bucket) + bucket) % bucket $$""");
        execute("ANALYZE");
    }

    void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    /** A query's answer as text: column names, type names, rows. */
    record Answer(List<String> names, List<String> types, List<List<String>> rows) {
        Answer sorted() {
            List<List<String>> copy = new ArrayList<>(rows);
            copy.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
            return new Answer(names, types, copy);
        }
    }

    Answer query(String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = new ArrayList<>(), types = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                names.add(md.getColumnLabel(i));
                types.add(md.getColumnTypeName(i));
            }
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) row.add(rs.getString(i));
                rows.add(row);
            }
            return new Answer(names, types, rows);
        }
    }

    /**
     * Runs a plan as the executor would: the remote SQL on each node (here: each schema of a split, none
     * or more), the union loaded into a temporary {@code _ts_remote} with the plan's remote column types,
     * then the combine SQL.
     */
    Answer runDistributed(DistributedPlan plan, List<String> nodes) throws SQLException {
        execute("DROP TABLE IF EXISTS pg_temp._ts_remote");
        List<String> columns = plan.remoteColumns().stream().map(c -> "\"" + c.name() + "\" " + c.type()).toList();
        execute("CREATE TEMP TABLE _ts_remote (" + String.join(", ", columns) + ")");
        for (String node : nodes) {
            String remote = plan.remoteSql().replace("\"public\".\"conditions\"", "\"" + node + "\".\"conditions\"");
            if (remote.equals(plan.remoteSql())) throw new AssertionError("remote SQL does not read \"public\".\"conditions\": " + remote);
            execute("INSERT INTO _ts_remote " + remote);
        }
        return query(plan.combineSql());
    }

    /** @return the answer of the query on the table of {@code schema} (whole: every row; empty: none) */
    /**
     * Runs a pass-through plan as the executor would: the remote SQL on each node, one after the other,
     * each result column taken from the remote column {@link DistributedPlan#passThrough} names (rows
     * only: names and types are the statement's own, as the client is told them).
     */
    List<List<String>> runPassThrough(DistributedPlan plan, List<String> nodes) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        for (String node : nodes) {
            String remote = plan.remoteSql().replace("\"public\".\"conditions\"", "\"" + node + "\".\"conditions\"");
            for (List<String> r : query(remote).rows()) rows.add(plan.passThrough().stream().map(r::get).toList());
        }
        return rows;
    }

    /**
     * Runs a plan's remote SQL on each node as the executor does for {@link DistributedPlan#oneNodePassThrough}:
     * when at most one node returns rows, its rows — each result column taken from the remote column the
     * plan names — are the answer.
     *
     * @return those rows, or null when several nodes returned rows (the combine step answers then)
     */
    List<List<String>> runOneNodePassThrough(DistributedPlan plan, List<String> nodes) throws SQLException {
        List<List<String>> rows = null;
        for (String node : nodes) {
            String remote = plan.remoteSql().replace("\"public\".\"conditions\"", "\"" + node + "\".\"conditions\"");
            List<List<String>> nodeRows = query(remote).rows();
            if (nodeRows.isEmpty()) continue;
            if (rows != null) return null;
            rows = nodeRows.stream().map(r -> plan.oneNodePassThrough().stream().map(r::get).toList()).toList();
        }
        return rows == null ? List.of() : rows;
    }

    Answer runOn(String schema, String sql) throws SQLException {
        execute("SET search_path = " + schema + ", public");
        try {
            return query(sql);
        } finally {
            execute("SET search_path = public");
        }
    }

    @Override
    public void close() throws Exception {
        conn.close();
        pg.close();
    }
}

package io.timeshard.tests;

import io.timeshard.catalog.store.CatalogStore;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;

/**
 * The data set of the differential tests: the same schema and the same rows, generated
 * deterministically from fixed seeds, put into the cluster (distributed hypertables, rows COPYed
 * through the access node's routing) and into the oracle (plain tables, rows COPYed directly).
 *
 * <p>Two hypertables and three small regular lookup tables:
 * <ul>
 *   <li>{@code conditions} — mostly 10 days from 2024-03-01 UTC, 1-day chunks, space column {@code device};
 *       about 50,000 rows with NULL temperature, humidity and location, timestamps on a 30 s grid
 *       (so devices share timestamps) and at odd milliseconds, exact duplicate rows, rows exactly on
 *       and one microsecond before chunk boundaries, negative temperatures, and devices 90–92 with
 *       one, two and three rows only, the extreme devices −2³¹, −1, 0 and 2³¹−1 with one row each, and
 *       device 93 with rows in 1999 and 1969 (times before both the PostgreSQL and the Unix epoch).</li>
 *   <li>{@code cpu} — the TSBS devops shape in its multi-node form (hostname in the table): 20 hosts
 *       × 4 hours at 10 s from 2016-01-01 UTC, 1-hour chunks, space column {@code hostname}; each field
 *       a random walk with N(0,1) steps clamped to [0, 100] and written as a truncated integer, as
 *       TSBS does (not a bit-exact clone of its Go generator); plus three points for each of nine odd
 *       hostnames (non-ASCII, empty, 3 kB long, {@code HOST_1}, {@code "host_1 "}, and ones holding a tab,
 *       a backslash, a newline and quotes).</li>
 *   <li>{@code nullspace} — a tiny hypertable with NULL in its space column.</li>
 *   <li>{@code devices}, {@code hosts} and {@code thresholds} — regular tables; on the cluster they live
 *       in the access node database. {@code thresholds(level numeric)} holds 25.0 and 25.00 (one value
 *       written two ways), 30 and NULL.</li>
 * </ul>
 *
 * <p>Floating-point sums must not depend on the order in which rows are read (the cluster reads
 * them chunk by chunk, the oracle in heap order), so temperatures are multiples of 1/16 and cpu
 * fields are integers: every float8 sum of them is exact, hence equal on both sides. Humidity has two
 * decimals (not exactly representable) so that row output exercises shortest-exact float text;
 * queries aggregate it through {@code numeric} or rounding.
 */
final class DifferentialData {
    /** First instant of {@code conditions}: a chunk boundary (chunks are 1-day, aligned to the epoch). */
    static final Instant CONDITIONS_START = Instant.parse("2024-03-01T00:00:00Z");
    /** First instant of {@code cpu}. */
    static final Instant CPU_START = Instant.parse("2016-01-01T00:00:00Z");
    static final int CONDITIONS_ROWS = 50_000;
    static final int CPU_HOSTS = 20;
    static final int CPU_EPOCHS = 4 * 360; // 4 hours at 10 s
    static final List<String> CPU_FIELDS = List.of("usage_user", "usage_system", "usage_idle", "usage_nice",
            "usage_iowait", "usage_irq", "usage_softirq", "usage_steal", "usage_guest", "usage_guest_nice");

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);
    private static final String[] LOCATIONS = {"office", "basement", "garage", "Attic", "attic", "São Paulo",
            "field-7", "lab 2", "", "ZZ top", "a'quote"};
    private static final String[][] REGIONS = {
            {"us-east-1", "a", "b", "c", "e"}, {"us-west-1", "a", "b"}, {"us-west-2", "a", "b", "c"},
            {"eu-west-1", "a", "b", "c"}, {"eu-central-1", "a", "b"}, {"ap-southeast-1", "a", "b"},
            {"ap-southeast-2", "a", "b"}, {"ap-northeast-1", "a", "c"}, {"sa-east-1", "a", "b", "c"}};

    private DifferentialData() {
    }

    /**
     * DDL shared by both sides (the hypertables are plain tables until the cluster converts them), and
     * the rows of {@code thresholds}.
     */
    static final List<String> SCHEMA = List.of(
            "CREATE TABLE conditions (time timestamptz NOT NULL, device integer, location text, "
                    + "temperature double precision, humidity double precision)",
            "CREATE TABLE cpu (time timestamptz NOT NULL, hostname text, "
                    + String.join(" double precision, ", CPU_FIELDS) + " double precision)",
            "CREATE TABLE nullspace (time timestamptz NOT NULL, device integer, value double precision)",
            "CREATE TABLE devices (device integer PRIMARY KEY, name text NOT NULL, kind text, installed date)",
            "CREATE TABLE hosts (hostname text PRIMARY KEY, region text, datacenter text, rack integer, os text)",
            "CREATE TABLE thresholds (level numeric)",
            "INSERT INTO thresholds VALUES (25.0), (25.00), (30), (NULL)",
            // the locations as a regular table: a lateral lookup off the space column whose values have rows
            // on both nodes in the newest time slice
            "CREATE TABLE places (name text)",
            "INSERT INTO places VALUES ('office'), ('garage'), ('a''quote')");

    /** DDL run on the cluster only, after {@link #SCHEMA}. */
    static final List<String> DISTRIBUTE = List.of(
            "SELECT create_distributed_hypertable('conditions', 'time', 'device', chunk_time_interval => INTERVAL '1 day')",
            "SELECT create_distributed_hypertable('cpu', 'time', 'hostname', chunk_time_interval => INTERVAL '1 hour')",
            "SELECT create_distributed_hypertable('nullspace', 'time', 'device', chunk_time_interval => INTERVAL '1 day')");

    /** Rows of {@code nullspace} whose space value is set. */
    static final String NULLSPACE_ROWS = "2024-03-01 10:00:00+00\t1\t1.5\n2024-03-01 11:00:00+00\t2\t2.5\n";
    /** Rows of {@code nullspace} with a NULL space value (TimescaleDB puts them in the first space slice). */
    static final List<String> NULLSPACE_NULL_ROWS = List.of("2024-03-01 10:00:00+00\t\\N\t3.5\n", "2024-03-02 10:00:00+00\t\\N\t4.5\n");

    /**
     * Creates the schema and loads the rows in autocommit.
     *
     * @param distributed whether {@code c} is the access node (the hypertables are distributed)
     */
    static void load(Connection c, boolean distributed) throws SQLException, IOException {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            // the oracle gets TimescaleDB's first/last as the nodes do (FirstLastSqlTest checks them on one server)
            if (!distributed) st.execute(CatalogStore.resource(CatalogStore.FIRST_LAST_SQL));
            for (String ddl : SCHEMA) st.execute(ddl);
            if (distributed) for (String ddl : DISTRIBUTE) st.execute(ddl);
        }
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("COPY conditions FROM STDIN", new StringReader(conditions()));
        copy.copyIn("COPY cpu FROM STDIN", new StringReader(cpu()));
        copy.copyIn("COPY devices FROM STDIN", new StringReader(devices()));
        copy.copyIn("COPY hosts FROM STDIN", new StringReader(hosts()));
        copy.copyIn("COPY nullspace FROM STDIN", new StringReader(NULLSPACE_ROWS));
        for (String row : NULLSPACE_NULL_ROWS) copy.copyIn("COPY nullspace FROM STDIN", new StringReader(row));
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
    }

    /** @return the rows of {@code conditions} in COPY text format */
    static String conditions() {
        SplittableRandom r = new SplittableRandom(20240301L);
        StringBuilder sb = new StringBuilder(CONDITIONS_ROWS * 60);
        long tenDaysMicros = 10L * 86_400_000_000L;
        int rows = 0;
        // Chunk-boundary rows: exactly at each midnight and one microsecond before it.
        for (int day = 0; day <= 10; day++) {
            long at = day * 86_400_000_000L;
            if (day < 10) {
                row(sb, at, 1 + day % 30, "office", (day - 3) / 16.0, 50.25);
                rows++;
            }
            if (day > 0) {
                row(sb, at - 1, 2 + day % 30, "garage", day / 4.0, 49.75);
                rows++;
            }
        }
        // Devices with very few rows.
        row(sb, 3 * 86_400_000_000L + 12_345_678L, 90, "lab 2", -0.0625, null);
        row(sb, 4 * 86_400_000_000L, 91, null, null, 10.01);
        row(sb, 9 * 86_400_000_000L + 999_999L, 91, "lab 2", 100.5, 99.99);
        for (int i = 0; i < 3; i++) row(sb, (i + 1) * 3_600_000_000L, 92, "field-7", i * 1.5, i * 0.1);
        rows += 6;
        // Extreme space values, one row each, and device 93 far back in time (before 2000 and 1970: negative
        // internal times, where chunk ranges need floor division).
        int[] extremes = {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE};
        for (int i = 0; i < extremes.length; i++) row(sb, (5 + i) * 86_400_000_000L + 7_000_000L, extremes[i], "office", -i / 8.0, 1.0 + i);
        row(sb, micros("1999-12-31T12:00:00Z"), 93, "basement", 20.0, 30.0);
        row(sb, micros("1969-07-20T20:17:40Z"), 93, "Attic", -1.0, null);
        rows += extremes.length + 2;
        String prev = null;
        while (rows < CONDITIONS_ROWS) {
            if (prev != null && r.nextInt(200) == 0) { // an exact duplicate of the previous row
                sb.append(prev);
                rows++;
                continue;
            }
            long t = r.nextInt(10) < 7
                    ? r.nextLong(tenDaysMicros / 30_000_000L) * 30_000_000L // on a 30 s grid
                    : r.nextLong(tenDaysMicros / 1000L) * 1000L;            // at any millisecond
            int device = 1 + r.nextInt(30);
            String location = r.nextInt(100) < 3 ? null
                    : r.nextInt(10) == 0 ? LOCATIONS[r.nextInt(LOCATIONS.length)] : LOCATIONS[device % LOCATIONS.length];
            Double temperature = r.nextInt(100) < 4 ? null : (r.nextInt(2000) - 400) / 16.0; // -25 .. 100, exact
            Double humidity = r.nextInt(100) < 5 ? null : r.nextInt(10_001) / 100.0;          // 0 .. 100, 2 decimals
            int start = sb.length();
            row(sb, t, device, location, temperature, humidity);
            prev = sb.substring(start);
            rows++;
        }
        return sb.toString();
    }

    /** @return the rows of {@code cpu} in COPY text format */
    static String cpu() {
        SplittableRandom r = new SplittableRandom(37L);
        double[][] state = new double[CPU_HOSTS][CPU_FIELDS.size()];
        for (double[] host : state) for (int f = 0; f < host.length; f++) host[f] = r.nextDouble() * 100;
        StringBuilder sb = new StringBuilder(CPU_HOSTS * CPU_EPOCHS * 60);
        for (int epoch = 0; epoch < CPU_EPOCHS; epoch++) {
            String time = TS.format(CPU_START.plusSeconds(10L * epoch));
            for (int h = 0; h < CPU_HOSTS; h++) {
                sb.append(time).append('\t').append("host_").append(h);
                for (int f = 0; f < CPU_FIELDS.size(); f++) sb.append('\t').append((double) (long) state[h][f]);
                sb.append('\n');
            }
            for (double[] host : state) {
                for (int f = 0; f < host.length; f++) host[f] = Math.clamp(host[f] + gaussian(r), 0, 100);
            }
        }
        // Odd hostnames, three points each: non-ASCII, empty, long enough to be stored compressed,
        // near-duplicates of host_1 that text equality must keep apart, and (written COPY-escaped here)
        // a tab, a backslash, a newline and quotes, which must survive the trip through every node.
        String[] odd = {"hôst_é", "", "日本語ホスト", "long-" + "ab".repeat(1500), "HOST_1", "host_1 ",
                "tab\\there", "back\\\\slash", "new\\nline 'quoted' \"too\""};
        for (int epoch : new int[] {0, 359, CPU_EPOCHS - 1}) {
            for (int h = 0; h < odd.length; h++) {
                sb.append(TS.format(CPU_START.plusSeconds(10L * epoch))).append('\t').append(odd[h]);
                for (int f = 0; f < CPU_FIELDS.size(); f++) sb.append('\t').append((double) ((epoch + h * 7 + f * 13) % 101));
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** @return devices 1..30 and 95 (which has no rows); devices 90–92 are missing on purpose */
    static String devices() {
        StringBuilder sb = new StringBuilder();
        String[] kinds = {"thermo", "hygro", "combo", null};
        for (int d = 1; d <= 30; d++) {
            sb.append(d).append('\t').append("dev-").append(String.format("%02d", d)).append('\t')
                    .append(kinds[d % 4] == null ? "\\N" : kinds[d % 4]).append('\t')
                    .append(2020 + d % 4).append("-0").append(1 + d % 9).append("-1").append(d % 10).append('\n');
        }
        sb.append("95\tdev-95\tcombo\t\\N\n");
        return sb.toString();
    }

    /** @return the TSBS tags of the 20 hosts (region, datacenter, rack, os) plus host_99 with no rows */
    static String hosts() {
        SplittableRandom r = new SplittableRandom(4000L);
        String[] os = {"Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10"};
        StringBuilder sb = new StringBuilder();
        for (int h = 0; h < CPU_HOSTS; h++) {
            String[] region = REGIONS[r.nextInt(REGIONS.length)];
            sb.append("host_").append(h).append('\t').append(region[0]).append('\t')
                    .append(region[0]).append(region[1 + r.nextInt(region.length - 1)]).append('\t')
                    .append(r.nextInt(100)).append('\t').append(os[r.nextInt(os.length)]).append('\n');
        }
        sb.append("host_99\teu-west-1\teu-west-1a\t7\tUbuntu16.10\n");
        return sb.toString();
    }

    /** @return microseconds from {@link #CONDITIONS_START} to {@code instant} (negative before it) */
    private static long micros(String instant) {
        return java.time.Duration.between(CONDITIONS_START, Instant.parse(instant)).toNanos() / 1000L;
    }

    private static void row(StringBuilder sb, long micros, int device, String location, Double temperature,
                            Double humidity) {
        Instant t = CONDITIONS_START.plusNanos(micros * 1000L);
        sb.append(TS.format(t)).append('\t').append(device).append('\t')
                .append(location == null ? "\\N" : location).append('\t')
                .append(temperature == null ? "\\N" : temperature.toString()).append('\t')
                .append(humidity == null ? "\\N" : humidity.toString()).append('\n');
    }

    /** A standard normal variate by Box–Muller, from {@code r} only (so the data set depends on the seed alone). */
    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}

package io.timeshard.accessnode.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The TSBS devops cpu-only benchmark, one run: generates the rows once (a COPY text file in the work
 * folder, reused by later runs with the same scale and seed), loads them with COPY into (a) the
 * cluster through the access node and (b) one plain PostgreSQL, then runs every selected query type
 * on both with the same parameters and compares the first query's rows.
 *
 * <p>First a warm-up pass of small queries on both sides (the access node's JIT). Per query type: one
 * warm-up query on each side (not counted; its rows are compared), up to {@value #TYPE_WARM_UP_QUERIES}
 * more with other parameters where they fit a fifth of the type budget (not counted), then
 * {@code n} counted queries alternating cluster and single, each with fresh parameters, where
 * {@code n = clamp(budget / (warm-up cluster + warm-up single), 1, runs)} so that slow types do not
 * stall the run (the table shows n). A side whose warm-up hits the statement timeout or fails is not
 * run again for that type.
 *
 * <p>Each side's database {@code tsbs} is dropped and created again at the start. Not thread-safe.
 */
public final class DevopsBenchmark {
    /** Name of the database created on both sides. */
    public static final String DATABASE = "tsbs";

    /**
     * @param hosts      TSBS scale (hosts), at least 8
     * @param days       days of data from 2016-01-01, at least 1
     * @param runs       counted queries per type at most, at least 1
     * @param seed       seed of the data and of the query parameters
     * @param queries    the selected query types; never null, not empty
     * @param timeout    statement_timeout of every query on both sides
     * @param typeBudget wall time per query type (both sides' counted runs) that n is fitted to
     * @param workDir    where the COPY text file is kept; never null
     */
    public record Settings(int hosts, int days, int runs, long seed, List<QueryType> queries, Duration timeout,
                           Duration typeBudget, Path workDir) {
        public Settings {
            if (hosts < 8) throw new IllegalArgumentException("--hosts must be at least 8 (TSBS queries draw 8 hosts), was " + hosts);
            if (days < 1) throw new IllegalArgumentException("--days must be at least 1, was " + days);
            if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
            queries = List.copyOf(queries);
            if (queries.isEmpty()) throw new IllegalArgumentException("no query type selected");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(typeBudget, "typeBudget");
            Objects.requireNonNull(workDir, "workDir");
        }
    }

    /**
     * Where the servers listen, all on 127.0.0.1, superuser postgres without a password.
     *
     * @param accessNode         the access node (Timeshard's server)
     * @param accessNodeDatabase the access node database (PostgreSQL behind the access node)
     * @param dataNodes          the data nodes dn1, dn2…
     * @param single             the plain PostgreSQL compared with the cluster
     */
    public record Servers(int accessNode, int accessNodeDatabase, List<Integer> dataNodes, int single) {
        public Servers {
            dataNodes = List.copyOf(dataNodes);
        }
    }

    private final Settings settings;
    private final Servers servers;
    private final PrintStream out;
    private final DevopsGenerator generator;

    public DevopsBenchmark(Settings settings, Servers servers, PrintStream out) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = Objects.requireNonNull(servers, "servers");
        this.out = Objects.requireNonNull(out, "out");
        this.generator = new DevopsGenerator(settings.hosts(), DevopsGenerator.DEFAULT_START, Duration.ofDays(settings.days()),
                settings.seed());
    }

    /** Runs everything; the servers must be up. */
    public BenchReport run() throws SQLException, IOException {
        BenchReport.Builder report = new BenchReport.Builder(settings, servers, generator);
        Path data = dataFile();
        resetDatabases();
        String clusterUrl = url(servers.accessNode());
        String singleUrl = url(servers.single());
        try (Connection cluster = DriverManager.getConnection(clusterUrl, "postgres", null);
             Connection single = DriverManager.getConnection(singleUrl, "postgres", null)) {
            DevopsSchema.createOnCluster(cluster, servers.dataNodes());
            DevopsSchema.createOnSingle(single);
            report.timeBucket(DevopsSchema.ensureTimeBucketOnCluster(cluster), DevopsSchema.ensureTimeBucketOnSingle(single));
            List<DevopsGenerator.Host> hosts = generator.hosts();
            DevopsSchema.insertTags(cluster, hosts);
            DevopsSchema.insertTags(single, hosts);
            out.printf("Created tags (%d hosts) and cpu on both sides.%n", hosts.size());
            CopyLoad.Result clusterIngest = CopyLoad.load(cluster, data, generator.rows(), "COPY → cluster");
            double clusterSettle = settleCluster(cluster);
            CopyLoad.Result singleIngest = CopyLoad.load(single, data, generator.rows(), "COPY → single");
            double singleSettle = settleSingle(single);
            report.ingest(clusterIngest, singleIngest);
            report.maintenance(new double[] {clusterSettle, singleSettle});
            report.versions(serverVersion(single), serverVersion(servers.dataNodes().getFirst()));
            report.readPath("per query type, in the table's read path column");
        }
        try (Connection cluster = queryConnection(clusterUrl); Connection single = queryConnection(singleUrl)) {
            DevopsQueries queries = new DevopsQueries(generator.start(), generator.end(), generator.hostCount(), settings.seed());
            DevopsQueries other = new DevopsQueries(generator.start(), generator.end(), generator.hostCount(), settings.seed() + 1);
            warmUp(cluster, single);
            for (QueryType type : settings.queries()) {
                List<String> sequence = queries.sequence(type, settings.runs() + 1);
                report.path(type, readPath(cluster, sequence.getFirst()));
                QueryResult r = measure(type, sequence, other.sequence(type, TYPE_WARM_UP_QUERIES), cluster, single);
                report.query(r);
                printProgress(r);
            }
        }
        return report.build();
    }

    /**
     * Queries of the warm-up pass per side: the small single-groupby types, both forms, in turn. A small query
     * through the access node took 2.45 ms after 1,500 queries, 2.38 ms after 4,700 and 2.32 ms after
     * 9,900 (one plain PostgreSQL 1.8 ms all along).
     */
    static final int WARM_UP_QUERIES = 4_000;

    /**
     * The access node is a JVM: its parser, planner and protocol code run interpreted or lightly
     * compiled until the JIT has compiled them fully, which takes a few thousand queries (a small query
     * took 10 ms after 100 queries, 2.3 ms after 3,000) — a server that runs for days pays that once.
     * Before any query type is measured, both sides answer {@value #WARM_UP_QUERIES} small queries
     * (parameters from another seed than the measured ones), not counted.
     */
    private void warmUp(Connection cluster, Connection single) {
        DevopsQueries other = new DevopsQueries(generator.start(), generator.end(), generator.hostCount(), settings.seed() + 1);
        List<QueryType> small = QueryType.select("single-groupby-1-1-1,single-groupby-5-1-1,single-groupby-1-8-1,single-groupby-5-8-1");
        long start = System.nanoTime();
        for (QueryType type : small) {
            for (String sql : other.sequence(type, WARM_UP_QUERIES / small.size())) {
                TimedQuery.run(cluster, sql, false);
                TimedQuery.run(single, sql, false);
            }
        }
        out.printf("Warm-up: %d queries on each side, %.1f s%n", WARM_UP_QUERIES / small.size() * small.size(),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Uncounted queries of each type at most, on each side, after its first (compared) query and before the
     * counted ones: the access node's code for that type's shape (a lateral join's merge, say) is then
     * compiled by the JIT, as on a server that has answered it for a while, instead of during the counted
     * runs. They run while they take at most a fifth of the type budget (none for a type slower than
     * that). HotSpot compiles a method with C2 after thousands of calls, not hundreds: with 200, the code
     * only TSBS's tags-form lastpoint runs was still being compiled while it was counted (through the access
     * node 5.4 ms after 200 alternated queries, 2.5 ms after 1,800, 1.4–2.1 ms after 5,800; one plain
     * PostgreSQL 0.9–1.8 ms).
     */
    static final int TYPE_WARM_UP_QUERIES = 2_000;

    /**
     * @param warmUp the type's queries with other parameters than {@code sql}'s, for the uncounted
     *               warm-up ({@value #TYPE_WARM_UP_QUERIES} at most)
     */
    private QueryResult measure(QueryType type, List<String> sql, List<String> warmUp, Connection cluster, Connection single) {
        TimedQuery.Outcome cw = TimedQuery.run(cluster, sql.getFirst(), true);
        TimedQuery.Outcome sw = TimedQuery.run(single, sql.getFirst(), true);
        String check = compare(cw, sw);
        double perRun = (cw.ok() ? cw.millis() : 0) + (sw.ok() ? sw.millis() : 0);
        long warmUntil = System.nanoTime() + settings.typeBudget().toNanos() / 5;
        for (int i = 0; i < warmUp.size() && cw.ok() && sw.ok() && System.nanoTime() + perRun * 1e6 <= warmUntil; i++) {
            TimedQuery.run(cluster, warmUp.get(i), false);
            TimedQuery.run(single, warmUp.get(i), false);
        }
        int n = (int) Math.max(1, Math.min(settings.runs(), Math.floor(settings.typeBudget().toMillis() / Math.max(perRun, 0.001))));
        List<Double> c = new ArrayList<>();
        List<Double> s = new ArrayList<>();
        String clusterIssue = issue(cw);
        String singleIssue = issue(sw);
        for (int i = 1; i <= n; i++) {
            if (clusterIssue == null) {
                TimedQuery.Outcome o = TimedQuery.run(cluster, sql.get(i), false);
                if (o.ok()) c.add(o.millis()); else clusterIssue = issue(o) + " (run " + i + ")";
            }
            if (singleIssue == null) {
                TimedQuery.Outcome o = TimedQuery.run(single, sql.get(i), false);
                if (o.ok()) s.add(o.millis()); else singleIssue = issue(o) + " (run " + i + ")";
            }
        }
        if (clusterIssue != null) c.clear();
        if (singleIssue != null) s.clear();
        return new QueryResult(type, c, s, clusterIssue, singleIssue, check, sw.rows() == null ? -1 : sw.rows().size());
    }

    private String issue(TimedQuery.Outcome o) {
        if (o.timedOut()) return "timeout > " + settings.timeout().toSeconds() + " s";
        return o.error();
    }

    /** @return null when both sides returned the same rows, else what went wrong */
    static String compare(TimedQuery.Outcome cluster, TimedQuery.Outcome single) {
        if (!cluster.ok() || !single.ok()) return "not compared (" + (cluster.ok() ? "single" : "cluster") + " has no result)";
        if (cluster.rows().equals(single.rows())) return null;
        if (cluster.rows().size() != single.rows().size()) {
            return "MISMATCH: cluster " + cluster.rows().size() + " rows, single " + single.rows().size();
        }
        for (int i = 0; i < cluster.rows().size(); i++) {
            if (!cluster.rows().get(i).equals(single.rows().get(i))) {
                return "MISMATCH: sorted row " + (i + 1) + " differs: cluster [" + cluster.rows().get(i) + "], single ["
                        + single.rows().get(i) + "]";
            }
        }
        return "MISMATCH";
    }

    private void printProgress(QueryResult r) {
        out.printf("%-32s n=%-3d cluster %s  single %s  ratio %s%s%n", r.type().label(), Math.max(r.clusterMillis().size(), r.singleMillis().size()),
                r.clusterIssue() != null ? r.clusterIssue() : String.format("%10.1f ms", r.clusterMedian()),
                r.singleIssue() != null ? r.singleIssue() : String.format("%9.1f ms", r.singleMedian()),
                Double.isNaN(r.ratio()) ? "-" : String.format("%.2f", r.ratio()),
                r.check() == null ? "" : "  " + r.check());
    }

    /** The COPY text file of this scale and seed, generated unless a previous run left it. */
    private Path dataFile() throws IOException {
        Files.createDirectories(settings.workDir());
        Path file = settings.workDir().resolve("tsbs-cpu-only-" + settings.hosts() + "h-" + settings.days() + "d-seed"
                + settings.seed() + ".v1.copy");
        if (Files.exists(file)) {
            out.println("Using the generated rows in " + file);
            return file;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        long start = System.nanoTime();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Generating").setInitialMax(generator.rows())
                .setStyle(ProgressBarStyle.UNICODE_BLOCK).setMaxRenderedLength(100).showSpeed().setUnit(" rows", 1).build();
             OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            generator.writeCpuCopyText(o, bar::stepTo);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out.printf("Generated %,d rows (%,d MB) in %.1f s: %s%n", generator.rows(), Files.size(file) >> 20,
                (System.nanoTime() - start) / 1e9, file);
        return file;
    }

    /** Drops database tsbs everywhere (the cluster's servers directly) and creates it on the access node and the single server. */
    private void resetDatabases() throws SQLException {
        List<Integer> ports = new ArrayList<>();
        ports.add(servers.accessNodeDatabase());
        ports.addAll(servers.dataNodes());
        ports.add(servers.single());
        for (int port : ports) {
            try (Connection c = DriverManager.getConnection(url(port, "postgres"), "postgres", null); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            }
        }
        for (int port : List.of(servers.accessNode(), servers.single())) {
            try (Connection c = DriverManager.getConnection(url(port, "postgres"), "postgres", null); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    /**
     * Right after the cluster's load, what a user would do before querying, and what keeps the other
     * side's load from sharing the machine with this one's background work: VACUUM ANALYZE and
     * CHECKPOINT on the data nodes ({@code distributed_exec}), ANALYZE of tags and CHECKPOINT in the
     * access node database.
     *
     * @return seconds taken
     */
    private double settleCluster(Connection cluster) throws SQLException {
        long t0 = System.nanoTime();
        try (Statement st = cluster.createStatement()) {
            st.execute("CALL distributed_exec('VACUUM ANALYZE', transactional => false)");
            st.execute("CALL distributed_exec('CHECKPOINT', transactional => false)");
            st.execute("ANALYZE tags");
            st.execute("CHECKPOINT");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("VACUUM ANALYZE and CHECKPOINT on the cluster: %.1f s%n", seconds);
        return seconds;
    }

    /** As {@link #settleCluster} on the single server: VACUUM ANALYZE and CHECKPOINT. @return seconds taken */
    private double settleSingle(Connection single) throws SQLException {
        long t0 = System.nanoTime();
        try (Statement st = single.createStatement()) {
            st.execute("VACUUM ANALYZE");
            st.execute("CHECKPOINT");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("VACUUM ANALYZE and CHECKPOINT on the single server: %.1f s%n", seconds);
        return seconds;
    }

    /**
     * @return how the access node runs {@code sql}, from EXPLAIN through it: "fast path (FULL|PARTIAL|NONE)"
     *         when its distributed plan is shown, else "safety net" (PostgreSQL's plan over postgres_fdw)
     */
    private static String readPath(Connection cluster, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Statement st = cluster.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) plan.append(rs.getString(1)).append('\n');
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("push-down: (\\w+)").matcher(plan);
        return m.find() ? "fast path (" + m.group(1) + ")" : "safety net";
    }

    private Connection queryConnection(String url) throws SQLException {
        Connection c = DriverManager.getConnection(url, "postgres", null);
        try (Statement st = c.createStatement()) {
            st.execute("SET statement_timeout = '" + settings.timeout().toMillis() + "ms'");
        }
        return c;
    }

    private static String serverVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String serverVersion(int port) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(port, "postgres"), "postgres", null)) {
            return serverVersion(c);
        }
    }

    private static String url(int port) {
        return url(port, DATABASE);
    }

    private static String url(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?ApplicationName=timeshard-bench";
    }
}

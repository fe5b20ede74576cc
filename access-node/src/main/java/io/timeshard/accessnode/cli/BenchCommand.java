package io.timeshard.accessnode.cli;

import io.timeshard.accessnode.bench.BenchReport;
import io.timeshard.accessnode.bench.DevopsBenchmark;
import io.timeshard.accessnode.bench.QueryType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code timeshard bench}: the TSBS devops cpu-only benchmark (see {@link DevopsBenchmark}) on a
 * local cluster and on one plain PostgreSQL, in one run. Ports: the cluster's access node on P, its
 * access node database on P+1, data node i on P+1+i (P+2, P+3); the plain PostgreSQL on P+5 (a
 * local cluster with no data node in {@code DIR/single}, whose idle access node holds P+4). Both are
 * started as {@code up} starts a cluster (a cluster already running in the folder is reused) and
 * stopped at the end unless {@code --keep}.
 */
@Command(name = "bench", description = "Run the TSBS devops (cpu-only) benchmark on a local cluster and on one plain PostgreSQL, "
        + "and write the table to docs/benchmarks.md.")
final class BenchCommand implements Callable<Integer> {
    private static final int DATA_NODES = 2;

    @Option(names = "--dir", description = "Folder of the bench servers and the generated rows (default: ${DEFAULT-VALUE}).",
            defaultValue = ".bench-cluster")
    Path dir;

    @Option(names = "--port", description = "Access node port P; P+1..P+3 for the cluster's servers, P+4..P+5 for the single server "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "6540")
    int port;

    @Option(names = "--hosts", description = "Hosts (TSBS scale), at least 8 (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int hosts;

    @Option(names = "--days", description = "Days of data at 10 s from 2016-01-01 (default: ${DEFAULT-VALUE}; "
            + "100 hosts × 12 days = 10,368,000 rows).", defaultValue = "12")
    int days;

    @Option(names = "--runs", description = "Counted queries per type at most, each with fresh parameters (default: ${DEFAULT-VALUE}; "
            + "a median of 20 queries of 2-3 ms moved by 0.3 ms from run to run).", defaultValue = "100")
    int runs;

    @Option(names = "--seed", description = "Seed of the data and of the query parameters (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--queries", description = "Query types, comma-separated: a name (both forms), name/tags, name/multi-node, "
            + "a prefix*, or tags / multi-node (default: all).")
    String queries;

    @Option(names = "--timeout", description = "Statement timeout of each query in seconds (default: ${DEFAULT-VALUE}).", defaultValue = "60")
    int timeoutSeconds;

    @Option(names = "--type-budget", description = "Seconds of counted runs per query type (both sides) that the number of runs is "
            + "fitted to, at most --runs (default: ${DEFAULT-VALUE}).", defaultValue = "30")
    int typeBudgetSeconds;

    @Option(names = "--out", description = "Where to write the report (default: ${DEFAULT-VALUE}).", defaultValue = "docs/benchmarks.md")
    Path out;

    @Option(names = "--keep", description = "Keep both the cluster and the single server running afterwards.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        DevopsBenchmark.Settings settings = new DevopsBenchmark.Settings(hosts, days, runs, seed, QueryType.select(queries),
                Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(typeBudgetSeconds), dir);
        Path singleDir = dir.resolve("single");
        try {
            startIfNeeded(dir, port, DATA_NODES, "the cluster (" + DATA_NODES + " data nodes)");
            startIfNeeded(singleDir, port + 4, 0, "the single PostgreSQL");
            DevopsBenchmark.Servers servers = new DevopsBenchmark.Servers(port, port + 1, List.of(port + 2, port + 3), port + 5);
            BenchReport report = new DevopsBenchmark(settings, servers, System.out).run();
            Duration total = Duration.ofNanos(System.nanoTime() - start);
            String version = "Timeshard 0.1.0" + gitCommit().map(c -> " (git " + c + ")").orElse("");
            String markdown = report.markdown(version, total);
            System.out.println();
            System.out.println(markdown);
            report.write(out, version, total);
            System.out.println("Wrote " + out.toAbsolutePath());
        } finally {
            if (keep) {
                System.out.println("Kept running: the cluster (psql -h 127.0.0.1 -p " + port + " -U postgres " + DevopsBenchmark.DATABASE
                        + ") and the single server (psql -h 127.0.0.1 -p " + (port + 5) + " -U postgres " + DevopsBenchmark.DATABASE + ").");
                System.out.println("Stop them with: ./timeshard down --dir " + dir + " && ./timeshard down --dir " + singleDir);
            } else {
                LocalClusterProcess.stop(singleDir);
                LocalClusterProcess.stop(dir);
            }
        }
        return 0;
    }

    private static void startIfNeeded(Path folder, int port, int dataNodes, String what) throws IOException, InterruptedException {
        if (LocalClusterProcess.running(folder).isPresent()) {
            System.out.println("Using " + what + " already running in " + folder.toAbsolutePath());
            return;
        }
        System.out.println("Starting " + what + " in " + folder.toAbsolutePath() + " …");
        LocalClusterProcess.start(folder, port, dataNodes);
    }

    private static Optional<String> gitCommit() {
        try {
            // "-dirty" when tracked files differ from the commit: the report then names code no commit holds
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=7").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && !s.isEmpty() ? Optional.of(s) : Optional.empty();
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }
}

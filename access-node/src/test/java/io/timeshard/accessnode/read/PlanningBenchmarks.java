package io.timeshard.accessnode.read;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the planning benchmarks ({@link PlannerBenchmark}, {@link ExclusionAndPlanningBenchmark}) with
 * JMH and prints one Markdown table on standard output: benchmark, parameters, samples, and the mean,
 * median and 90th percentile of the time per operation in microseconds (JMH's SampleTime mode times
 * every operation, so a burst of load from elsewhere on the machine moves the mean more than the
 * median). JMH's own log goes to {@code target/jmh-planning.log}. {@code mvn -Pjmh} runs it (see
 * docs/benchmarks-planning.md).
 */
public final class PlanningBenchmarks {
    private PlanningBenchmarks() {}

    /**
     * @param args JMH's command line options, e.g. a benchmark regex or {@code -p chunks=10000}; without
     *             a regex, every benchmark of this package
     * @throws Exception JMH's {@code RunnerException} when a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(cli).output("target/jmh-planning.log");
        if (cli.getIncludes().isEmpty()) builder.include(PlanningBenchmarks.class.getPackageName() + "\\.");
        Options options = builder.build();
        System.err.println("planning benchmarks: JMH's log in target/jmh-planning.log");
        String loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(options).run();
        System.out.printf(Locale.ROOT, "Java %s, %d CPUs, load average %s before and %s after; times in µs per operation%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        System.out.println("| benchmark | parameters | samples | mean | median | p90 |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
            String params = p.getParamsKeys().stream().map(k -> k + "=" + p.getParam(k)).collect(Collectors.joining(" "));
            Statistics s = r.getPrimaryResult().getStatistics();
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s |%n", name, params, s.getN(), us(s.getMean()),
                    us(s.getPercentile(50)), us(s.getPercentile(90)));
        }
    }

    /** @return the 1-minute load average from /proc/loadavg, or "?" */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String us(double v) {
        return v < 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
    }
}

package io.timeshard.accessnode.read;

import io.timeshard.accessnode.bench.DevopsQueries;
import io.timeshard.accessnode.bench.QueryType;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.planner.plan.DistributedPlan;
import io.timeshard.planner.plan.DistributedPlanner;
import io.timeshard.planner.plan.PlanContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Calcite planner alone ({@link DistributedPlanner#plan}, parse to remote and combine SQL), warm:
 * each TSBS devops query type in its multi-node form on {@code cpu} — a cycle of 64 statements with
 * TSBS's parameters, the body of the CTE for the double-groupby types, as {@code ReadPath} plans
 * it — and a few shapes of the planner's differential corpus. Two data nodes,
 * each host's rows on one node. What a statement costs the first time; a repeated or prepared one
 * takes its plan from {@code ReadPath}'s cache. Calcite needs seconds of planning before the JIT has
 * compiled it, hence the long warm-up. Run as docs/benchmarks-planning.md says.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class PlannerBenchmark {
    private static final DistributedPlanner PLANNER = new DistributedPlanner();
    private static final int CYCLE = 64;
    /** Shapes of the planner's differential corpus (filters, DISTINCT, variance, FILTER, HAVING), on {@code cpu}. */
    private static final Map<String, String> CORPUS = Map.of(
            "corpus-filter-like", "SELECT time, hostname FROM cpu WHERE hostname NOT LIKE '%3' AND hostname ILIKE 'HOST_1%'"
                    + " AND time NOT BETWEEN '2016-01-03' AND '2016-01-05' ORDER BY time LIMIT 10",
            "corpus-distinct", "SELECT DISTINCT tags_id, usage_user > 50 FROM cpu WHERE tags_id > 2 ORDER BY 1, 2",
            "corpus-stddev", "SELECT hostname, round(stddev(usage_user)::numeric, 9), round(stddev_pop(usage_user)::numeric, 9),"
                    + " round(variance(usage_system)::numeric, 9), round(var_pop(usage_idle)::numeric, 5) FROM cpu"
                    + " GROUP BY hostname ORDER BY hostname",
            "corpus-agg-filter", "SELECT tags_id, count(*) FILTER (WHERE usage_user > 15), sum(usage_nice) FILTER (WHERE usage_irq > 50),"
                    + " avg(usage_steal) FILTER (WHERE hostname = 'host_2') FROM cpu GROUP BY tags_id ORDER BY tags_id",
            "corpus-having", "SELECT hostname, sum(usage_user) FROM cpu GROUP BY hostname"
                    + " HAVING max(usage_user) > 19 AND min(usage_guest) < 50 ORDER BY sum(usage_user) DESC");

    /**
     * A TSBS devops query type name ({@link QueryType#NAMES}) or a key of {@link #CORPUS}; by default
     * one or two of each TSBS family (the others: {@code -p query=…}).
     */
    @Param({"single-groupby-1-1-1", "single-groupby-5-8-1", "cpu-max-all-8", "double-groupby-all", "high-cpu-1",
            "lastpoint", "groupby-orderby-limit", "corpus-distinct", "corpus-stddev", "corpus-agg-filter"})
    public String query;

    private List<String> statements;
    private Hypertable hypertable;
    private final PlanContext context = new PlanContext(DevopsCatalog.DATA_NODES, true);
    private int next;

    /** Draws the statements: TSBS's parameters over 10 days of 100 hosts, seed 1. */
    @Setup
    public void draw() {
        hypertable = DevopsCatalog.cpu(2);
        if (CORPUS.containsKey(query)) {
            statements = List.of(CORPUS.get(query));
            return;
        }
        statements = new DevopsQueries(DevopsCatalog.START, DevopsCatalog.START.plus(Duration.ofDays(10)), 100, 1)
                .sequence(new QueryType(query, QueryType.Form.MULTI_NODE), CYCLE).stream()
                .map(PlannerBenchmark::cteBody).toList();
    }

    /** @return the plan of the next statement, empty when the fast path declines it */
    @Benchmark
    public Optional<DistributedPlan> plan() {
        String sql = statements.get(next++ % statements.size());
        return PLANNER.plan(sql, hypertable, context);
    }

    /** The part of a statement {@code ReadPath} plans: the first CTE's body, else the whole. */
    private static String cteBody(String sql) {
        List<CommonTableExpressions.Body> bodies = CommonTableExpressions.bodies(sql);
        return bodies.isEmpty() ? sql : sql.substring(bodies.get(0).start(), bodies.get(0).end());
    }
}

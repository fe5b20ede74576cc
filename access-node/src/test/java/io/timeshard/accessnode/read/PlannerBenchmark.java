package io.timeshard.accessnode.read;

import io.timeshard.accessnode.bench.DevopsQueries;
import io.timeshard.accessnode.bench.QueryType;
import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.Dimension;
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
 * it — and a few queries of the planner's differential corpus on {@code conditions}. Two data nodes,
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
    /** Queries of {@code planner/src/test/resources/planner/differential-queries.sql}, by the shape they stand for. */
    private static final Map<String, String> CORPUS = Map.of(
            "corpus-filter-like", "SELECT time, note FROM conditions WHERE note NOT LIKE '%3' AND location ILIKE 'OFFICE%'"
                    + " AND time NOT BETWEEN '2024-03-10' AND '2024-03-12' ORDER BY time LIMIT 10",
            "corpus-distinct", "SELECT DISTINCT device, ok FROM conditions WHERE device > 2 ORDER BY device, ok",
            "corpus-stddev", "SELECT location, round(stddev(temperature)::numeric, 9), round(stddev_pop(temperature)::numeric, 9),"
                    + " round(variance(temperature)::numeric, 9), round(var_pop(humidity)::numeric, 5) FROM conditions"
                    + " GROUP BY location ORDER BY location",
            "corpus-agg-filter", "SELECT device, count(*) FILTER (WHERE temperature > 15), sum(amount) FILTER (WHERE ok),"
                    + " avg(reading) FILTER (WHERE location = 'office_2') FROM conditions GROUP BY device ORDER BY device",
            "corpus-having", "SELECT location, sum(temperature) FROM conditions GROUP BY location"
                    + " HAVING max(temperature) > 19 AND min(reading) < 0 ORDER BY sum(temperature) DESC");

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
        if (CORPUS.containsKey(query)) {
            statements = List.of(CORPUS.get(query));
            hypertable = conditions();
            return;
        }
        hypertable = DevopsCatalog.cpu(2);
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

    /** The planner tests' {@code conditions}: time and device ({@code integer}, 2 slices), a column of every mapped type. */
    private static Hypertable conditions() {
        List<Column> columns = List.of(
                new Column("time", "timestamp with time zone", 1184, true, null),
                new Column("device", "integer", 23, false, null),
                new Column("location", "text", 25, false, null),
                new Column("temperature", "double precision", 701, false, null),
                new Column("humidity", "real", 700, false, null),
                new Column("reading", "numeric(10,3)", 1700, false, null),
                new Column("amount", "bigint", 20, false, null),
                new Column("ok", "boolean", 16, false, null),
                new Column("note", "character varying(20)", 1043, false, null),
                new Column("day", "date", 1082, false, null),
                new Column("small", "smallint", 21, false, null),
                new Column("local", "timestamp without time zone", 1114, false, null));
        Dimension time = new Dimension(1, "time", "timestamp with time zone", true, 0, 7L * 86_400_000_000L);
        Dimension space = new Dimension(2, "device", "integer", false, 2, 0);
        return new Hypertable(2, "public", "conditions", 1, time, space, DevopsCatalog.DATA_NODES, List.of(), columns);
    }
}

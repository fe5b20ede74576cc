package io.timeshard.accessnode.read;

import io.timeshard.accessnode.bench.DevopsQueries;
import io.timeshard.accessnode.bench.QueryType;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.ChunkIndex;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.planner.plan.DistributedPlan;
import io.timeshard.planner.plan.DistributedPlanner;
import io.timeshard.planner.plan.PlanContext;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.statement.select.PlainSelect;
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
 * What the fast path does for a SELECT before any data node is asked, with many chunks in the
 * catalog: {@link #exclusion} — {@link ChunkExclusion} of a parsed statement; {@link #exclusionAndContext}
 * — then a replica per chunk and the {@link PlanContext}, paid by every execution, a cached plan's
 * too; {@link #planSelect} — parsing, both of those and the Calcite planner: a statement's first
 * execution. The steps are {@code ReadPath.planSelect}'s, without the catalog and the plan cache.
 * {@code cpu} has {@code chunks} chunks: 12-hour time slices × 2 space slices on two data nodes.
 * {@code narrow}: TSBS's single-groupby-1-1-1 (one host, one hour; a cycle of 64 statements over the
 * whole time span), one chunk reached; {@code none}: no WHERE clause, every chunk reached. Run as
 * docs/benchmarks-planning.md says.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ExclusionAndPlanningBenchmark {
    private static final DistributedPlanner PLANNER = new DistributedPlanner();
    private static final int SPACE_SLICES = 2;
    private static final int CYCLE = 64;
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final String NO_WHERE = "SELECT hostname, max(usage_user) AS max_usage_user FROM cpu GROUP BY hostname ORDER BY hostname";

    /** Chunks in the catalog, a multiple of 2. */
    @Param({"1000", "10000"})
    public int chunks;

    /** {@code narrow} (one host, one hour) or {@code none} (no WHERE clause). */
    @Param({"narrow", "none"})
    public String range;

    private Hypertable cpu;
    private ChunkIndex index;
    private List<String> statements;
    private List<Expression> wheres;
    private int next;

    /** Makes the catalog and draws the statements. */
    @Setup
    public void build() {
        cpu = DevopsCatalog.cpu(SPACE_SLICES);
        int timeSlices = chunks / SPACE_SLICES;
        index = DevopsCatalog.chunks(timeSlices, SPACE_SLICES);
        statements = switch (range) {
            case "narrow" -> new DevopsQueries(DevopsCatalog.START,
                    DevopsCatalog.START.plus(Duration.ofHours(12L * timeSlices)), 100, 1)
                    .sequence(new QueryType("single-groupby-1-1-1", QueryType.Form.MULTI_NODE), CYCLE);
            case "none" -> List.of(NO_WHERE);
            default -> throw new IllegalArgumentException("range: narrow or none, not " + range);
        };
        wheres = statements.stream().map(sql -> parse(sql).getWhere()).toList();
    }

    /** @return the chunks the next statement reaches (its WHERE clause parsed beforehand) */
    @Benchmark
    public List<Chunk> exclusion() {
        return reachable(wheres.get(next++ % wheres.size()));
    }

    /** @return the context the next statement is planned with (its WHERE clause parsed beforehand) */
    @Benchmark
    public PlanContext exclusionAndContext() {
        return context(reachable(wheres.get(next++ % wheres.size())));
    }

    /** @return the next statement's plan, empty when the fast path declines it */
    @Benchmark
    @Warmup(iterations = 8, time = 1) // Calcite's code takes seconds to be compiled
    public Optional<DistributedPlan> planSelect() {
        String sql = statements.get(next++ % statements.size());
        return PLANNER.plan(sql, cpu, context(reachable(parse(sql).getWhere())));
    }

    private List<Chunk> reachable(Expression where) {
        return ChunkExclusion.reachable(cpu, index, where, UTC);
    }

    /** Parses as ReadPath does. */
    private static PlainSelect parse(String sql) {
        try {
            return (PlainSelect) new CCJSqlParser(new StringProvider(sql)).withAllowComplexParsing(true).Statement();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** ReadPath.planSelect's step from the reached chunks to the plan's context. */
    private static PlanContext context(List<Chunk> reached) {
        return ReadPath.place(reached).context();
    }
}

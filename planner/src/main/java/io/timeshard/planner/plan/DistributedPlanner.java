package io.timeshard.planner.plan;

import io.timeshard.catalog.model.Hypertable;
import io.timeshard.planner.remote.PgTypeSystem;
import io.timeshard.planner.remote.RemoteSqlPrinter;
import io.timeshard.planner.rules.DataNodeRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.tools.RelBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans one SELECT whose only relation is a distributed hypertable: JSqlParser (called directly) →
 * Calcite relational algebra ({@link SelectTranslator}) with a {@link DataNodeGather} above the
 * scan → the push-down rules ({@link DataNodeRules}, HepPlanner) → remote SQL from the part below the
 * gather ({@link RemoteSqlPrinter}, Calcite's RelToSqlConverter) and combine SQL from the part above
 * ({@link CombinePrinter}). Statements outside the taken subset give {@code Optional.empty()}: the
 * safety net answers them. Thread-safe and stateless; reuse one instance (and warm it at start-up:
 * the first planning loads Calcite's classes, about a second).
 */
public final class DistributedPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedPlanner.class);

    public DistributedPlanner() {}

    /** @return the plan, or Optional.empty() when the statement is outside what the fast path takes (the safety net answers it) */
    public Optional<DistributedPlan> plan(String selectSql, Hypertable hypertable, PlanContext context) {
        PlainSelect select;
        try {
            select = parse(selectSql);
        } catch (Declined e) {
            LOG.debug("fast path declines: {}: {}", e.getMessage(), selectSql);
            return Optional.empty();
        }
        return plan(select, selectSql, hypertable, context);
    }

    /**
     * The same for a statement the caller parsed already (with JSqlParser, complex parsing allowed), so
     * that it is not parsed twice; {@code select} is only read.
     *
     * @param selectSql its text, for the log
     */
    public Optional<DistributedPlan> plan(PlainSelect select, String selectSql, Hypertable hypertable, PlanContext context) {
        try {
            return Optional.of(planOrThrow(select, hypertable, context));
        } catch (Declined | Scope.AggregateFound e) {
            LOG.debug("fast path declines: {}: {}", e.getMessage(), selectSql);
            return Optional.empty();
        } catch (RuntimeException | AssertionError e) {
            // a planner defect must not cost the client its answer: the safety net gives it
            LOG.warn("fast path planning failed, the safety net answers: {}", selectSql, e);
            return Optional.empty();
        }
    }

    /** @return the plan; throws {@link Declined} with the reason when the fast path does not take the statement */
    DistributedPlan planOrThrow(String selectSql, Hypertable hypertable, PlanContext context) {
        return planOrThrow(parse(selectSql), hypertable, context);
    }

    private DistributedPlan planOrThrow(PlainSelect select, Hypertable hypertable, PlanContext context) {
        FieldTypes types = new FieldTypes();
        HepPlanner planner = new HepPlanner(DataNodeRules.program(), Contexts.of(types));
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(new SqlTypeFactoryImpl(PgTypeSystem.INSTANCE)));
        RelBuilder builder = RelBuilder.proto(Contexts.of(RelBuilder.Config.DEFAULT.withSimplify(false)
                .withDedupAggregateCalls(false).withPruneInputOfAggregate(false))).create(cluster, null);
        SelectTranslator.Translation translation = new SelectTranslator(hypertable, types, cluster, builder, context).translate(select);
        planner.setRoot(translation.root());
        RelNode best = planner.findBestExp();

        List<RelNode> chain = new ArrayList<>();
        RelNode rel = best;
        while (!(rel instanceof DataNodeGather)) {
            if (rel.getInputs().size() != 1) throw new Declined("unexpected plan shape");
            chain.add(rel);
            rel = rel.getInput(0);
        }
        DataNodeGather gather = (DataNodeGather) rel;
        Collections.reverse(chain);
        if (gather.stage() == DataNodeGather.Stage.ROWS && chain.stream().anyMatch(r -> r instanceof Aggregate)) {
            throw new Declined("aggregate cannot be split across data nodes");
        }
        RelNode remote = gather.getInput();
        OneNodeResult oneNode = gather.stage() == DataNodeGather.Stage.PARTIAL_AGGREGATE ? OneNodeResult.of(chain) : null;
        String remoteSql = RemoteSqlPrinter.print(oneNode == null ? remote : oneNode.remote(remote));
        List<ResultColumn> remoteColumns = new ArrayList<>();
        for (RelDataTypeField f : remote.getRowType().getFieldList()) remoteColumns.add(new ResultColumn(f.getName(), types.get(f.getName())));
        List<String> names = translation.columns().stream().map(ResultColumn::name).toList();
        String combineSql = CombinePrinter.print(chain, gather, names);
        PushDown pushDown = switch (gather.stage()) {
            case ROWS -> PushDown.NONE;
            case FULL_AGGREGATE -> PushDown.FULL;
            case PARTIAL_AGGREGATE -> PushDown.PARTIAL;
            case DISTINCT_ON -> gather.placement().oneDataNode() ? PushDown.FULL : PushDown.PARTIAL;
        };
        String explain = "Push-down: " + pushDown + "\nData nodes: " + String.join(", ", context.dataNodes())
                + "\nRemote SQL: " + remoteSql + "\nCombine SQL: " + combineSql;
        return new DistributedPlan(context.dataNodes(), remoteSql, remoteColumns, combineSql, pushDown, explain,
                passThrough(chain, gather), oneNode == null ? List.of() : oneNode.columns(), null);
    }

    /**
     * @param chain the relations above the gather, bottom-up
     * @return for each result column the remote column it is, when the relations above the gather only
     *         pick columns and either one data node runs the whole statement (then they may also repeat
     *         the sort, with its LIMIT but no OFFSET, that the node applies already) or the nodes return
     *         rows or whole aggregates (FULL: each group on one node) with no order asked for, so that the
     *         union in any order is the answer; else empty
     */
    private static List<Integer> passThrough(List<RelNode> chain, DataNodeGather gather) {
        boolean oneNode = gather.placement().oneDataNode();
        boolean disjoint = gather.stage() == DataNodeGather.Stage.ROWS || gather.stage() == DataNodeGather.Stage.FULL_AGGREGATE;
        if (gather.stage() == DataNodeGather.Stage.PARTIAL_AGGREGATE || !oneNode && !disjoint) return List.of();
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < gather.getRowType().getFieldCount(); i++) columns.add(i);
        for (RelNode rel : chain) {
            switch (rel) {
                case Project p -> {
                    List<Integer> picked = new ArrayList<>();
                    for (RexNode e : p.getProjects()) {
                        if (!(e instanceof RexInputRef ref)) return List.of();
                        picked.add(columns.get(ref.getIndex()));
                    }
                    columns = picked;
                }
                case Sort s when oneNode && s.offset == null && gather.sortPushed() && s.getInput() == gather -> { }
                default -> {
                    return List.of();
                }
            }
        }
        return columns;
    }

    private static PlainSelect parse(String sql) {
        Statement statement;
        try {
            statement = new CCJSqlParser(new StringProvider(sql)).withAllowComplexParsing(true).Statement();
        } catch (Exception | Error e) {
            throw new Declined("parse error: " + e.getMessage());
        }
        if (!(statement instanceof PlainSelect select)) throw new Declined("not a plain SELECT");
        return select;
    }
}

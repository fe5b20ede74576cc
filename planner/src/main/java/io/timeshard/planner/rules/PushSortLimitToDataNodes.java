package io.timeshard.planner.rules;

import io.timeshard.planner.plan.DataNodeGather;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * Matches a Sort with a LIMIT on a {@link DataNodeGather} of rows or whole aggregates, and copies it
 * below with LIMIT n + offset and no OFFSET: the first n + offset rows of the union are among the
 * first n + offset rows of some node. The Sort above stays (the access node merges the nodes' top
 * rows and applies LIMIT and OFFSET). Not above partial aggregate states. With one data node in play,
 * an ORDER BY without LIMIT is copied below too: that node's rows then come in the statement's order
 * (see {@link io.timeshard.planner.plan.DistributedPlan#passThrough}).
 */
public final class PushSortLimitToDataNodes extends RelRule<RuleConfig> {
    public static final PushSortLimitToDataNodes INSTANCE = new PushSortLimitToDataNodes(RuleConfig.of("PushSortLimitToDataNodes",
            b0 -> b0.operand(Sort.class).predicate(s -> s.fetch != null || !s.getCollation().getFieldCollations().isEmpty())
                    .oneInput(b1 -> b1.operand(DataNodeGather.class)
                    .predicate(g -> g.stage() != DataNodeGather.Stage.PARTIAL_AGGREGATE && !g.sortPushed()).anyInputs()),
            PushSortLimitToDataNodes::new));

    private PushSortLimitToDataNodes(RuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        Sort sort = call.rel(0);
        DataNodeGather gather = call.rel(1);
        if (sort.fetch == null && !gather.placement().oneDataNode()) return;
        RexNode fetch = null;
        if (sort.fetch != null) {
            long n = RexLiteral.longValue(sort.fetch) + (sort.offset == null ? 0 : RexLiteral.longValue(sort.offset));
            fetch = sort.getCluster().getRexBuilder().makeExactLiteral(BigDecimal.valueOf(n));
        }
        Sort below = sort.copy(sort.getTraitSet(), gather.getInput(), sort.getCollation(), null, fetch);
        DataNodeGather pushed = gather.over(below, gather.stage(), true);
        call.transformTo(sort.copy(sort.getTraitSet(), List.of(pushed)));
    }
}

package io.timeshard.planner.rules;

import io.timeshard.planner.plan.DataNodeGather;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;

/**
 * Matches an Aggregate on a {@link DataNodeGather} of rows when its groups never span nodes ({@link
 * FullPushDown}) and moves the whole aggregate below: each node returns final rows for its groups,
 * and HAVING, projections and top-N can follow it down. Any aggregate, count(DISTINCT x) included.
 */
public final class PushFullAggregateToDataNodes extends RelRule<RuleConfig> {
    public static final PushFullAggregateToDataNodes INSTANCE = new PushFullAggregateToDataNodes(RuleConfig.of(
            "PushFullAggregateToDataNodes",
            b0 -> b0.operand(Aggregate.class).oneInput(b1 -> b1.operand(DataNodeGather.class)
                    .predicate(g -> g.stage() == DataNodeGather.Stage.ROWS && !g.sortPushed()).anyInputs()),
            PushFullAggregateToDataNodes::new));

    private PushFullAggregateToDataNodes(RuleConfig config) {
        super(config);
    }

    @Override
    public boolean matches(RelOptRuleCall call) {
        return FullPushDown.allowed(call.rel(0), call.rel(1), call.getMetadataQuery());
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        Aggregate aggregate = call.rel(0);
        DataNodeGather gather = call.rel(1);
        RelNode below = aggregate.copy(aggregate.getTraitSet(), List.of(gather.getInput()));
        call.transformTo(gather.over(below, DataNodeGather.Stage.FULL_AGGREGATE, false));
    }
}

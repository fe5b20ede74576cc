package io.timeshard.planner.rules;

import io.timeshard.planner.plan.DataNodeGather;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;

/**
 * Matches a Filter on a {@link DataNodeGather} whose nodes return rows or whole aggregates, and moves
 * the filter below it: each node filters its own rows (WHERE) or its own complete groups (HAVING
 * after FULL push-down). Not across partial aggregates (their HAVING needs the combined groups) nor
 * below a pushed top-N.
 */
public final class PushFilterToDataNodes extends RelRule<RuleConfig> {
    public static final PushFilterToDataNodes INSTANCE = new PushFilterToDataNodes(RuleConfig.of("PushFilterToDataNodes",
            b0 -> b0.operand(Filter.class).oneInput(b1 -> b1.operand(DataNodeGather.class)
                    .predicate(g -> g.stage() != DataNodeGather.Stage.PARTIAL_AGGREGATE && !g.sortPushed()).anyInputs()),
            PushFilterToDataNodes::new));

    private PushFilterToDataNodes(RuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        Filter filter = call.rel(0);
        DataNodeGather gather = call.rel(1);
        RelNode below = filter.copy(filter.getTraitSet(), List.of(gather.getInput()));
        call.transformTo(gather.over(below, gather.stage(), false));
    }
}

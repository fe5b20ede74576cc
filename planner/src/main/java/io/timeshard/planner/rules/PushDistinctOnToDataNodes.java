package io.timeshard.planner.rules;

import io.timeshard.planner.plan.DataNodeGather;
import io.timeshard.planner.plan.DistinctOn;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;

/**
 * Matches a {@link DistinctOn} on a {@link DataNodeGather} of rows and copies it below, with LIMIT n +
 * offset and no OFFSET: each node keeps its own first row per key under the full ORDER BY, and the
 * global first row of a key is the first of its node. With a LIMIT, each of the answer's first n +
 * offset rows is among the first n + offset of its node, because the keys lead the sort: the node's
 * rows ahead of it are first rows of smaller keys, whose global first rows are ahead of it in the
 * answer too. The DistinctOn above stays (the access node keeps the first row per key over the union,
 * then applies OFFSET and LIMIT); with one data node in play it keeps every row the node sent, and the
 * push-down is FULL.
 */
public final class PushDistinctOnToDataNodes extends RelRule<RuleConfig> {
    public static final PushDistinctOnToDataNodes INSTANCE = new PushDistinctOnToDataNodes(RuleConfig.of("PushDistinctOnToDataNodes",
            b0 -> b0.operand(DistinctOn.class).oneInput(b1 -> b1.operand(DataNodeGather.class)
                    .predicate(g -> g.stage() == DataNodeGather.Stage.ROWS && !g.sortPushed()).anyInputs()),
            PushDistinctOnToDataNodes::new));

    private PushDistinctOnToDataNodes(RuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        DistinctOn distinctOn = call.rel(0);
        DataNodeGather gather = call.rel(1);
        Long fetch = distinctOn.fetch() == null ? null : distinctOn.fetch() + (distinctOn.offset() == null ? 0 : distinctOn.offset());
        DistinctOn below = distinctOn.with(gather.getInput(), null, fetch);
        DataNodeGather pushed = gather.over(below, DataNodeGather.Stage.DISTINCT_ON, true);
        call.transformTo(distinctOn.copy(distinctOn.getTraitSet(), List.of(pushed)));
    }
}

package io.timeshard.planner.rules;

import io.timeshard.planner.plan.DataNodeGather;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;

/**
 * Matches a Project on a {@link DataNodeGather} whose nodes return rows or whole aggregates, and
 * moves it below: every expression the fast path takes is immutable and row-wise, so each node can
 * compute it (and the nodes send only the columns the access node needs). Not above partial
 * aggregate states, whose projections belong to the combine step.
 */
public final class PushProjectToDataNodes extends RelRule<RuleConfig> {
    public static final PushProjectToDataNodes INSTANCE = new PushProjectToDataNodes(RuleConfig.of("PushProjectToDataNodes",
            b0 -> b0.operand(Project.class).oneInput(b1 -> b1.operand(DataNodeGather.class)
                    .predicate(g -> g.stage() != DataNodeGather.Stage.PARTIAL_AGGREGATE && !g.sortPushed()).anyInputs()),
            PushProjectToDataNodes::new));

    private PushProjectToDataNodes(RuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        Project project = call.rel(0);
        DataNodeGather gather = call.rel(1);
        RelNode below = project.copy(project.getTraitSet(), List.of(gather.getInput()));
        call.transformTo(gather.over(below, gather.stage(), false));
    }
}

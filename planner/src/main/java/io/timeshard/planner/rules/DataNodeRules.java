package io.timeshard.planner.rules;

import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;

/**
 * The push-down program: filters and projections move below the {@link
 * io.timeshard.planner.plan.DataNodeGather}, then the aggregate (whole or split), then whatever
 * follows a whole aggregate, and last a top-N sort or a DISTINCT ON. Applied to a fixpoint by a
 * HepPlanner.
 */
public final class DataNodeRules {
    /** The rules, each one class. */
    public static final List<RelOptRule> RULES = List.of(
            PushFilterToDataNodes.INSTANCE, PushProjectToDataNodes.INSTANCE, PushFullAggregateToDataNodes.INSTANCE,
            PushPartialAggregateToDataNodes.INSTANCE, PushSortLimitToDataNodes.INSTANCE, PushDistinctOnToDataNodes.INSTANCE);

    private DataNodeRules() {}

    /** @return a new program (one per planning: HepPlanner keeps state in it) */
    public static HepProgram program() {
        return new HepProgramBuilder()
                .addMatchOrder(HepMatchOrder.BOTTOM_UP)
                .addRuleCollection(List.of(PushFilterToDataNodes.INSTANCE, PushProjectToDataNodes.INSTANCE))
                .addRuleCollection(List.of(PushFullAggregateToDataNodes.INSTANCE, PushPartialAggregateToDataNodes.INSTANCE))
                .addRuleCollection(List.of(PushFilterToDataNodes.INSTANCE, PushProjectToDataNodes.INSTANCE))
                .addRuleCollection(List.of(PushSortLimitToDataNodes.INSTANCE, PushDistinctOnToDataNodes.INSTANCE))
                .build();
    }
}

package io.timeshard.planner.rules;

import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/**
 * An aggregate over DISTINCT values ({@code count(DISTINCT x)}, {@code sum(DISTINCT x)}, …; one
 * argument): no partial state. {@link PushPartialAggregateToDataNodes} adds x to the nodes' GROUP BY
 * instead, so each node returns its distinct x per group, and the access node applies the original
 * call — DISTINCT included — to the union, where a value two nodes hold counts once. Citus splits
 * count(DISTINCT) the same way when the column is not its distribution column. A FILTER (WHERE c)
 * joins the GROUP BY too (c as a boolean key), and the access node's call keeps the FILTER on that key:
 * a value with c true on any node's row is in a group whose key is true.
 */
final class DistinctSplit implements AggregateSplit {
    static final DistinctSplit INSTANCE = new DistinctSplit();

    /** @return no state: the argument becomes a remote group key */
    @Override
    public List<State> partials(RelBuilder b, AggregateCall call, String resultType) {
        return List.of();
    }

    /**
     * @param states the column of the union holding the call's argument (a remote group key), then — with a
     *               FILTER — the one holding its condition (a remote group key too)
     */
    @Override
    public List<RelBuilder.AggCall> merges(RelBuilder b, AggregateCall call, List<RexNode> states, List<RexNode> windows) {
        RelBuilder.AggCall merge = b.aggregateCall(call.getAggregation(), states.getFirst()).distinct(true);
        return List.of(states.size() > 1 ? merge.filter(states.get(1)) : merge);
    }

    @Override
    public RexNode finish(RexBuilder rb, List<RexNode> merged, RelDataType resultType) {
        return merged.getFirst();
    }
}

package io.timeshard.planner.rules;

import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/** min, max, bool_and, bool_or: the same function over the nodes' results (all of the same type). */
final class SameFunctionSplit implements AggregateSplit {
    static final SameFunctionSplit INSTANCE = new SameFunctionSplit();

    @Override
    public List<State> partials(RelBuilder b, AggregateCall call, String resultType) {
        return List.of(new State(Partials.of(b, call, call.getAggregation(), Partials.argument(b, call)), resultType));
    }

    @Override
    public List<RelBuilder.AggCall> merges(RelBuilder b, AggregateCall call, List<RexNode> states, List<RexNode> windows) {
        return List.of(b.aggregateCall(call.getAggregation(), states.getFirst()));
    }

    @Override
    public RexNode finish(RexBuilder rb, List<RexNode> merged, RelDataType resultType) {
        return merged.getFirst();
    }
}

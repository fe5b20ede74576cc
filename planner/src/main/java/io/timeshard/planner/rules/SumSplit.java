package io.timeshard.planner.rules;

import io.timeshard.planner.plan.PgTypes;
import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * sum(x): the sum of the nodes' sums. The partial sum already has the result type (bigint for
 * smallint/integer, numeric for bigint/numeric, the float type itself); summing bigint partials gives
 * numeric, cast back to bigint. Floating-point sums add in another order than one server would, as
 * PostgreSQL's own parallel aggregation does.
 */
final class SumSplit implements AggregateSplit {
    static final SumSplit INSTANCE = new SumSplit();

    @Override
    public List<State> partials(RelBuilder b, AggregateCall call, String resultType) {
        return List.of(new State(Partials.of(b, call, SqlStdOperatorTable.SUM, Partials.argument(b, call)), resultType));
    }

    @Override
    public List<RelBuilder.AggCall> merges(RelBuilder b, AggregateCall call, List<RexNode> states, List<RexNode> windows) {
        return List.of(b.sum(states.getFirst()));
    }

    @Override
    public RexNode finish(RexBuilder rb, List<RexNode> merged, RelDataType resultType) {
        RexNode total = merged.getFirst();
        if (total.getType().equals(resultType)) return total;
        return Rex.cast(rb, resultType, PgTypes.fromCalcite(resultType), total);
    }
}

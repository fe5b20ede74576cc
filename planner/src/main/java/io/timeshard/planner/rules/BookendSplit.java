package io.timeshard.planner.rules;

import io.timeshard.planner.plan.PgTypes;
import io.timeshard.planner.remote.PgSqlOperators;
import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * TimescaleDB's first(value, time) and last(value, time): each node returns the row its own call
 * keeps as two states, {@code first(value, time)} and {@code min(time)} (last: {@code max}), and
 * the access node applies the same function to those pairs. Exact: a node's pair is the row first
 * keeps among that node's rows (min ignores NULL times as first does), so the smallest time over the
 * pairs is the smallest over all rows; a tie or a group without times keeps whichever row comes
 * first, which TimescaleDB leaves to the scan order too (src/agg_bookend.c).
 */
final class BookendSplit implements AggregateSplit {
    static final BookendSplit INSTANCE = new BookendSplit();

    @Override
    public List<State> partials(RelBuilder b, AggregateCall call, String resultType) {
        RexNode value = b.field(call.getArgList().get(0)), time = b.field(call.getArgList().get(1));
        String timeType = PgTypes.fromCalcite(time.getType());
        if (timeType == null) throw new IllegalStateException("first/last over a time of Calcite type " + time.getType());
        boolean first = call.getAggregation() == PgSqlOperators.FIRST;
        return List.of(new State(Partials.of(b, call, call.getAggregation(), value, time), resultType),
                new State(Partials.of(b, call, first ? SqlStdOperatorTable.MIN : SqlStdOperatorTable.MAX, time), timeType));
    }

    @Override
    public List<RelBuilder.AggCall> merges(RelBuilder b, AggregateCall call, List<RexNode> states, List<RexNode> windows) {
        return List.of(b.aggregateCall(call.getAggregation(), states.get(0), states.get(1)));
    }

    @Override
    public RexNode finish(RexBuilder rb, List<RexNode> merged, RelDataType resultType) {
        return merged.getFirst();
    }
}

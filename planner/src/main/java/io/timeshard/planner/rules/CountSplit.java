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
 * count(*) and count(x): each node counts, the access node sums the counts. sum(bigint) is numeric in
 * PostgreSQL, so the result is cast back to bigint; COALESCE gives 0, not NULL, when no node
 * answered a global count.
 */
final class CountSplit implements AggregateSplit {
    static final CountSplit INSTANCE = new CountSplit();

    @Override
    public List<State> partials(RelBuilder b, AggregateCall call, String resultType) {
        RexNode[] args = call.getArgList().stream().map(b::field).toArray(RexNode[]::new);
        return List.of(new State(Partials.of(b, call, SqlStdOperatorTable.COUNT, args), PgTypes.BIGINT));
    }

    @Override
    public List<RelBuilder.AggCall> merges(RelBuilder b, AggregateCall call, List<RexNode> states, List<RexNode> windows) {
        return List.of(b.sum(states.getFirst()));
    }

    @Override
    public RexNode finish(RexBuilder rb, List<RexNode> merged, RelDataType resultType) {
        RexNode total = Rex.call(rb, PgTypes.NUMERIC, SqlStdOperatorTable.COALESCE, merged.getFirst(), Rex.literal(rb, "0", PgTypes.INTEGER));
        return Rex.cast(rb, resultType, PgTypes.BIGINT, total);
    }
}

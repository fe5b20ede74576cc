package io.timeshard.planner.rules;

import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.tools.RelBuilder;

/** Partial aggregate calls that keep the original call's FILTER. Stateless. */
final class Partials {
    private Partials() {}

    /** @return {@code function(operands) [FILTER (WHERE original filter)]}, operands over the aggregate's input */
    static RelBuilder.AggCall of(RelBuilder b, AggregateCall original, SqlAggFunction function, RexNode... operands) {
        RelBuilder.AggCall call = b.aggregateCall(function, operands);
        return original.filterArg >= 0 ? call.filter(b.field(original.filterArg)) : call;
    }

    /** @return the original call's argument, a field of the aggregate's input */
    static RexNode argument(RelBuilder b, AggregateCall original) {
        return b.field(original.getArgList().getFirst());
    }
}

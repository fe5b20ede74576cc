package io.timeshard.planner.rules;

import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/**
 * How one aggregate is computed in two steps: partial states on each data node, then, on the access
 * node, optional per-row window columns over the union ({@code _ts_remote}), merge aggregates per
 * group, and a final expression with the aggregate's PostgreSQL result (type and digits). One class
 * per aggregate family, as Trino's {@code ImplementAvgFloatingPoint} and friends. Stateless.
 */
interface AggregateSplit {
    /** A partial state computed by every node, with its PostgreSQL type. */
    record State(RelBuilder.AggCall call, String pgType) {}

    /**
     * @param b          positioned on the original aggregate's input (the node's rows)
     * @param call       the original call (its FILTER goes into every state)
     * @param resultType the PostgreSQL result type of the original call
     * @return the states each node returns
     */
    List<State> partials(RelBuilder b, AggregateCall call, String resultType);

    /** @return extra columns computed per row of the union before merging (windows over the group), or none */
    default List<RexNode> windows(RexBuilder rb, List<RexNode> states, List<RexNode> keys) {
        return List.of();
    }

    /** @return merge aggregates over the union's states (and window columns) for the original {@code call} */
    List<RelBuilder.AggCall> merges(RelBuilder b, AggregateCall call, List<RexNode> states, List<RexNode> windows);

    /** @return the final value from the merged columns, of exactly {@code resultType} (the original call's Calcite type) */
    RexNode finish(RexBuilder rb, List<RexNode> merged, RelDataType resultType);
}

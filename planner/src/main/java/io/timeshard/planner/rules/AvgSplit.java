package io.timeshard.planner.rules;

import io.timeshard.planner.plan.PgTypes;
import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * avg(x) as sum(x) and count(x) per node. Integers and numeric: the numeric sum of the sums divided
 * by the numeric sum of the counts — exactly PostgreSQL's {@code int8_avg}/{@code numeric_avg}
 * ({@code numeric_div} of the same two values, so the same digits). Floats: the float sum divided by
 * the count, as {@code float8_avg}; real is summed as double precision, as {@code float4_accum}
 * does. NULL when no row counted.
 */
final class AvgSplit implements AggregateSplit {
    static final AvgSplit NUMERIC = new AvgSplit(false);
    static final AvgSplit FLOAT = new AvgSplit(true);

    private final boolean floating;

    private AvgSplit(boolean floating) {
        this.floating = floating;
    }

    @Override
    public List<State> partials(RelBuilder b, AggregateCall call, String resultType) {
        RexNode x = Partials.argument(b, call);
        SqlTypeName t = x.getType().getSqlTypeName();
        RexNode summed = t == SqlTypeName.REAL ? Rex.cast(b.getRexBuilder(), PgTypes.DOUBLE, x) : x;
        String sumType = floating ? PgTypes.DOUBLE : t == SqlTypeName.SMALLINT || t == SqlTypeName.INTEGER ? PgTypes.BIGINT : PgTypes.NUMERIC;
        return List.of(new State(Partials.of(b, call, SqlStdOperatorTable.SUM, summed), sumType),
                new State(Partials.of(b, call, SqlStdOperatorTable.COUNT, x), PgTypes.BIGINT));
    }

    @Override
    public List<RelBuilder.AggCall> merges(RelBuilder b, AggregateCall call, List<RexNode> states, List<RexNode> windows) {
        return List.of(b.sum(states.get(0)), b.sum(states.get(1)));
    }

    @Override
    public RexNode finish(RexBuilder rb, List<RexNode> merged, RelDataType resultType) {
        RexNode sum = merged.get(0), count = merged.get(1);
        if (floating) {
            return Rex.call(rb, resultType, SqlStdOperatorTable.DIVIDE, sum, Rex.cast(rb, PgTypes.DOUBLE, count));
        }
        RexNode nonZero = Rex.call(rb, PgTypes.NUMERIC, SqlStdOperatorTable.NULLIF, count, Rex.literal(rb, "0", PgTypes.INTEGER));
        return Rex.call(rb, resultType, SqlStdOperatorTable.DIVIDE, sum, nonZero);
    }
}

package io.timeshard.planner.rules;

import io.timeshard.planner.plan.PgTypes;
import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * var_samp/var_pop (variance) of integers and numeric, with PostgreSQL's exact digits: each node
 * returns count(x), sum(x) and sum(x·x) in numeric (exact), and the access node evaluates the formula of
 * {@code numeric_stddev_internal} (numeric.c) with SQL numeric operators, whose scales are the ones it
 * uses: (N·ΣX² − (ΣX)²) / (N·(N−1)) (or N·N), {@code numeric_div} choosing the result scale; 0 when the
 * numerator is ≤ 0; NaN when any input was NaN or ±Infinity; NULL when N ≤ 1 (or N = 0). stddev is
 * not taken: PostgreSQL takes the square root at the division's scale, which SQL's {@code sqrt}
 * cannot be made to use, so numeric stddev is declined (or pushed down whole).
 */
final class NumericVarianceSplit implements AggregateSplit {
    private final boolean sample;

    NumericVarianceSplit(SqlKind kind) {
        if (kind != SqlKind.VAR_SAMP && kind != SqlKind.VAR_POP) throw new IllegalArgumentException("variance only: " + kind);
        this.sample = kind == SqlKind.VAR_SAMP;
    }

    @Override
    public List<State> partials(RelBuilder b, AggregateCall call, String resultType) {
        RexBuilder rb = b.getRexBuilder();
        RexNode x = Partials.argument(b, call);
        RexNode exact = x.getType().getSqlTypeName() == SqlTypeName.DECIMAL ? x : Rex.cast(rb, PgTypes.NUMERIC, x);
        RexNode square = Rex.call(rb, PgTypes.NUMERIC, SqlStdOperatorTable.MULTIPLY, exact, exact);
        return List.of(new State(Partials.of(b, call, SqlStdOperatorTable.COUNT, x), PgTypes.BIGINT),
                new State(Partials.of(b, call, SqlStdOperatorTable.SUM, exact), PgTypes.NUMERIC),
                new State(Partials.of(b, call, SqlStdOperatorTable.SUM, square), PgTypes.NUMERIC));
    }

    @Override
    public List<RelBuilder.AggCall> merges(RelBuilder b, AggregateCall call, List<RexNode> states, List<RexNode> windows) {
        return List.of(b.sum(states.get(0)), b.sum(states.get(1)), b.sum(states.get(2)));
    }

    @Override
    public RexNode finish(RexBuilder rb, List<RexNode> merged, RelDataType resultType) {
        RexNode n = merged.get(0), sx = merged.get(1), sxx = merged.get(2);
        String num = PgTypes.NUMERIC;
        RexNode numerator = Rex.call(rb, num, SqlStdOperatorTable.MINUS,
                Rex.call(rb, num, SqlStdOperatorTable.MULTIPLY, n, sxx), Rex.call(rb, num, SqlStdOperatorTable.MULTIPLY, sx, sx));
        RexNode other = sample ? Rex.call(rb, num, SqlStdOperatorTable.MINUS, n, Rex.literal(rb, "1", PgTypes.INTEGER)) : n;
        RexNode denominator = Rex.call(rb, num, SqlStdOperatorTable.MULTIPLY, n, other);
        RexNode special = Rex.bool(rb, SqlStdOperatorTable.OR,
                Rex.bool(rb, SqlStdOperatorTable.EQUALS, sx, Rex.literal(rb, "'NaN'", PgTypes.UNKNOWN)),
                Rex.bool(rb, SqlStdOperatorTable.EQUALS, sx, Rex.literal(rb, "'Infinity'", PgTypes.UNKNOWN)),
                Rex.bool(rb, SqlStdOperatorTable.EQUALS, sx, Rex.literal(rb, "'-Infinity'", PgTypes.UNKNOWN)));
        RexNode undefined = Rex.bool(rb, SqlStdOperatorTable.LESS_THAN_OR_EQUAL, n, Rex.literal(rb, sample ? "1" : "0", PgTypes.INTEGER));
        RexNode roundoff = Rex.bool(rb, SqlStdOperatorTable.LESS_THAN_OR_EQUAL, numerator, Rex.literal(rb, "0", PgTypes.INTEGER));
        return Rex.caseWhen(rb, resultType,
                special, Rex.cast(rb, num, Rex.literal(rb, "'NaN'", PgTypes.UNKNOWN)),
                undefined, Rex.literal(rb, "NULL", num),
                roundoff, Rex.cast(rb, num, Rex.literal(rb, "0", PgTypes.INTEGER)),
                Rex.call(rb, num, SqlStdOperatorTable.DIVIDE, numerator, denominator));
    }
}

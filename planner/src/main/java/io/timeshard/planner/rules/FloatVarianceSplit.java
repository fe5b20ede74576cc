package io.timeshard.planner.rules;

import io.timeshard.planner.plan.PgTypes;
import io.timeshard.planner.remote.PgSqlOperators;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * stddev/variance of real and double precision with the stable count/mean/M2 combination
 * (calcite-notes pitfall 3; Chan et al., what PostgreSQL's {@code float8_combine} does for parallel
 * workers), never the sum of squares. Each node returns n = count(x), s = sum(x) and v = var_pop(x)
 * (so its M2 is v·n). The access node computes the group mean S/N with a window over the union, then
 * M2 = Σ v·n + Σ n·(s/n − S/N)², and finally M2/(N−1) or M2/N (NULL for N ≤ 1, resp. N = 0), with sqrt
 * for stddev — as {@code float8_var_samp} and friends. Floating-point rounding may differ from one
 * server's sequential accumulation in the last digits.
 */
final class FloatVarianceSplit implements AggregateSplit {
    private final SqlKind kind;

    FloatVarianceSplit(SqlKind kind) {
        this.kind = kind;
    }

    @Override
    public List<State> partials(RelBuilder b, AggregateCall call, String resultType) {
        RexNode x = Partials.argument(b, call);
        RexNode asDouble = Rex.cast(b.getRexBuilder(), PgTypes.DOUBLE, x);
        return List.of(new State(Partials.of(b, call, SqlStdOperatorTable.COUNT, x), PgTypes.BIGINT),
                new State(Partials.of(b, call, SqlStdOperatorTable.SUM, asDouble), PgTypes.DOUBLE),
                new State(Partials.of(b, call, SqlStdOperatorTable.VAR_POP, x), PgTypes.DOUBLE));
    }

    @Override
    public List<RexNode> windows(RexBuilder rb, List<RexNode> states, List<RexNode> keys) {
        List<RexNode> sumArgs = new ArrayList<>(List.of(states.get(1)));
        sumArgs.addAll(keys);
        List<RexNode> countArgs = new ArrayList<>(List.of(states.get(0)));
        countArgs.addAll(keys);
        RexNode groupSum = rb.makeCall(Rex.type(rb, PgTypes.DOUBLE), PgSqlOperators.SUM_OVER_GROUP, sumArgs);
        RexNode groupCount = rb.makeCall(Rex.type(rb, PgTypes.NUMERIC), PgSqlOperators.SUM_OVER_GROUP, countArgs);
        return List.of(Rex.call(rb, PgTypes.DOUBLE, SqlStdOperatorTable.DIVIDE, groupSum, groupCount));
    }

    @Override
    public List<RelBuilder.AggCall> merges(RelBuilder b, AggregateCall call, List<RexNode> states, List<RexNode> windows) {
        RexBuilder rb = b.getRexBuilder();
        RexNode n = states.get(0), s = states.get(1), v = states.get(2), mean = windows.getFirst();
        RexNode ownM2 = Rex.call(rb, PgTypes.DOUBLE, SqlStdOperatorTable.MULTIPLY, v, n);
        RexNode delta = Rex.call(rb, PgTypes.DOUBLE, SqlStdOperatorTable.MINUS,
                Rex.call(rb, PgTypes.DOUBLE, SqlStdOperatorTable.DIVIDE, s, n), mean);
        RexNode spread = Rex.call(rb, PgTypes.DOUBLE, SqlStdOperatorTable.MULTIPLY, n,
                Rex.call(rb, PgTypes.DOUBLE, SqlStdOperatorTable.MULTIPLY, delta, delta));
        return List.of(b.sum(n), b.sum(ownM2), b.sum(spread));
    }

    @Override
    public RexNode finish(RexBuilder rb, List<RexNode> merged, RelDataType resultType) {
        RexNode n = merged.get(0);
        RexNode m2 = Rex.call(rb, PgTypes.DOUBLE, SqlStdOperatorTable.PLUS, merged.get(1), merged.get(2));
        boolean sample = kind == SqlKind.VAR_SAMP || kind == SqlKind.STDDEV_SAMP;
        RexNode divisor = sample ? Rex.call(rb, PgTypes.NUMERIC, SqlStdOperatorTable.MINUS, n, Rex.literal(rb, "1", PgTypes.INTEGER)) : n;
        RexNode variance = Rex.call(rb, PgTypes.DOUBLE, SqlStdOperatorTable.DIVIDE, m2, Rex.cast(rb, PgTypes.DOUBLE, divisor));
        boolean stddev = kind == SqlKind.STDDEV_SAMP || kind == SqlKind.STDDEV_POP;
        RexNode value = stddev ? Rex.call(rb, PgTypes.DOUBLE, SqlStdOperatorTable.SQRT, variance) : variance;
        RexNode defined = Rex.bool(rb, SqlStdOperatorTable.GREATER_THAN, n, Rex.literal(rb, sample ? "1" : "0", PgTypes.INTEGER));
        return Rex.caseWhen(rb, resultType, defined, value, Rex.literal(rb, "NULL", PgTypes.DOUBLE));
    }
}

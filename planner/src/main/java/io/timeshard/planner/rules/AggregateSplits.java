package io.timeshard.planner.rules;

import io.timeshard.planner.remote.PgSqlOperators;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/** Finds the {@link AggregateSplit} for an aggregate call, or none (DISTINCT with FILTER, numeric stddev, …). Stateless. */
final class AggregateSplits {
    private AggregateSplits() {}

    /** @return the split for {@code call} over an argument of {@code argType} (null for count(*)), or null */
    static AggregateSplit of(AggregateCall call, RelDataType argType) {
        if (call.isApproximate() || !call.getCollation().getFieldCollations().isEmpty()) return null;
        if (call.isDistinct()) return call.getArgList().size() == 1 ? DistinctSplit.INSTANCE : null;
        boolean floating = argType != null && (argType.getSqlTypeName() == SqlTypeName.DOUBLE || argType.getSqlTypeName() == SqlTypeName.REAL);
        return switch (call.getAggregation().getKind()) {
            case COUNT -> CountSplit.INSTANCE;
            case SUM -> SumSplit.INSTANCE;
            case MIN, MAX -> SameFunctionSplit.INSTANCE; // min, max, and bool_and/bool_or (Calcite's kinds for them)
            case AVG -> floating ? AvgSplit.FLOAT : AvgSplit.NUMERIC;
            case STDDEV_SAMP, STDDEV_POP -> floating ? new FloatVarianceSplit(call.getAggregation().getKind()) : null;
            case VAR_SAMP, VAR_POP -> floating ? new FloatVarianceSplit(call.getAggregation().getKind())
                    : new NumericVarianceSplit(call.getAggregation().getKind());
            default -> PgSqlOperators.isBookend(call.getAggregation()) ? BookendSplit.INSTANCE : null;
        };
    }
}

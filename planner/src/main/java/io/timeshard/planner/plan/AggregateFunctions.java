package io.timeshard.planner.plan;

import io.timeshard.planner.remote.PgSqlOperators;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/** Calcite's aggregate function for each canonical PostgreSQL aggregate name the fast path takes. */
public final class AggregateFunctions {
    private AggregateFunctions() {}

    /** @return the Calcite aggregate for {@code function} (see {@link AggregateSpec#function()}) */
    public static SqlAggFunction of(String function) {
        return switch (function) {
            case "count" -> SqlStdOperatorTable.COUNT;
            case "sum" -> SqlStdOperatorTable.SUM;
            case "avg" -> SqlStdOperatorTable.AVG;
            case "min" -> SqlStdOperatorTable.MIN;
            case "max" -> SqlStdOperatorTable.MAX;
            case "stddev_samp" -> SqlStdOperatorTable.STDDEV_SAMP;
            case "stddev_pop" -> SqlStdOperatorTable.STDDEV_POP;
            case "var_samp" -> SqlStdOperatorTable.VAR_SAMP;
            case "var_pop" -> SqlStdOperatorTable.VAR_POP;
            case "bool_and" -> SqlLibraryOperators.BOOL_AND;
            case "bool_or" -> SqlLibraryOperators.BOOL_OR;
            case "first" -> PgSqlOperators.FIRST;
            case "last" -> PgSqlOperators.LAST;
            default -> throw new Declined("aggregate " + function);
        };
    }
}

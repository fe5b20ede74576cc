package io.timeshard.planner.rules;

import io.timeshard.planner.plan.PgTypes;
import io.timeshard.planner.remote.PgSqlOperators;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Small builders for the combine formulas: calls with explicit types (never Calcite's inference),
 * PostgreSQL literals and casts. Stateless.
 */
final class Rex {
    private Rex() {}

    static RelDataType type(RexBuilder rb, String pgType) {
        return PgTypes.toCalcite(rb.getTypeFactory(), pgType);
    }

    static RexNode call(RexBuilder rb, String pgType, SqlOperator op, RexNode... operands) {
        return rb.makeCall(type(rb, pgType), op, List.of(operands));
    }

    static RexNode call(RexBuilder rb, RelDataType type, SqlOperator op, RexNode... operands) {
        return rb.makeCall(type, op, List.of(operands));
    }

    static RexNode literal(RexBuilder rb, String text, String pgType) {
        return rb.makeCall(type(rb, pgType), PgSqlOperators.literal(text), List.of());
    }

    static RexNode cast(RexBuilder rb, String pgType, RexNode value) {
        return call(rb, pgType, PgSqlOperators.cast(pgType), value);
    }

    static RexNode cast(RexBuilder rb, RelDataType type, String pgType, RexNode value) {
        return call(rb, type, PgSqlOperators.cast(pgType), value);
    }

    static RexNode bool(RexBuilder rb, SqlOperator op, RexNode... operands) {
        return call(rb, PgTypes.BOOLEAN, op, operands);
    }

    /** @return {@code CASE WHEN c1 THEN v1 … ELSE otherwise END} of {@code type} */
    static RexNode caseWhen(RexBuilder rb, RelDataType type, RexNode... conditionsValuesAndElse) {
        return rb.makeCall(type, SqlStdOperatorTable.CASE, List.of(conditionsValuesAndElse));
    }
}

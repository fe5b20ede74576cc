package io.timeshard.planner.remote;

import java.util.Locale;
import java.util.Objects;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.util.Optionality;

/**
 * Operators that print PostgreSQL text exactly as the client wrote it, for what Calcite's own
 * operators would change: literals (Calcite re-prints numbers as {@code 1.5E0}, nulls as typed
 * casts, and gives an unknown-typed {@code '…'} a type), casts to PostgreSQL type names (Calcite has
 * no unconstrained {@code numeric}), PostgreSQL functions ({@code date_trunc}, {@code time_bucket},
 * {@code round}, …) and {@code EXTRACT}. Calls to these operators are always built with an explicit
 * return type ({@code RexBuilder.makeCall(type, op, operands)}); the type the planner reports comes
 * from its own PostgreSQL type rules, never from Calcite's inference. Instances are immutable.
 */
public final class PgSqlOperators {
    private PgSqlOperators() {}

    /** @return an operator without operands that prints {@code text} verbatim (a PostgreSQL literal) */
    public static SqlSpecialOperator literal(String text) {
        return new Literal(text);
    }

    /** @return {@code CAST(x AS pgType)}, pgType as PostgreSQL spells it (e.g. {@code numeric(10,2)}) */
    public static SqlFunction cast(String pgType) {
        return new Cast(pgType);
    }

    /** @return whether {@code op} is one of {@link #literal}'s operators */
    public static boolean isLiteral(org.apache.calcite.sql.SqlOperator op) {
        return op instanceof Literal;
    }

    /** @return the PostgreSQL type {@code op} casts to, when it is one of {@link #cast}'s operators; else null */
    public static String castType(org.apache.calcite.sql.SqlOperator op) {
        return op instanceof Cast c ? c.pgType : null;
    }

    /** @return a PostgreSQL function printed as {@code name(arg, …)} */
    public static SqlFunction function(String name) {
        return new Function(name);
    }

    /** @return {@code EXTRACT(field FROM x)} */
    public static SqlFunction extract(String field) {
        return new Extract(field);
    }

    /**
     * {@code sum(x) OVER (PARTITION BY k1, …)}: the first operand is summed over the rows that share the
     * other operands (all rows when there are none). Printed only in combine SQL, never sent to nodes.
     */
    public static final SqlFunction SUM_OVER_GROUP = new SumOverGroup();

    /**
     * TimescaleDB's {@code first(value, time)}: the value at the smallest time (installed on every node
     * by {@code sql/first_last.sql}). Of the value's type, NULL for an empty group.
     */
    public static final SqlAggFunction FIRST = new Bookend("first");

    /** TimescaleDB's {@code last(value, time)}: the value at the largest time; as {@link #FIRST}. */
    public static final SqlAggFunction LAST = new Bookend("last");

    /** @return whether {@code op} is {@link #FIRST} or {@link #LAST} */
    public static boolean isBookend(org.apache.calcite.sql.SqlOperator op) {
        return op instanceof Bookend;
    }

    private static final class Bookend extends SqlAggFunction {
        Bookend(String name) {
            super(name, null, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0_FORCE_NULLABLE, null, OperandTypes.ANY_ANY,
                    SqlFunctionCategory.SYSTEM, false, false, Optionality.FORBIDDEN);
        }
    }

    /** @return true if {@code op} is a window function (the combine printer computes it in a subquery) */
    public static boolean isWindow(org.apache.calcite.sql.SqlOperator op) {
        return op instanceof SumOverGroup;
    }

    private static final class SumOverGroup extends SqlFunction {
        SumOverGroup() {
            super("SUM OVER GROUP", SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, null, SqlFunctionCategory.SYSTEM);
        }

        @Override
        public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
            SqlWriter.Frame frame = writer.startFunCall("sum");
            call.operand(0).unparse(writer, 0, 0);
            writer.endFunCall(frame);
            writer.keyword("OVER");
            SqlWriter.Frame window = writer.startList("(", ")");
            if (call.operandCount() > 1) {
                writer.keyword("PARTITION BY");
                for (int i = 1; i < call.operandCount(); i++) {
                    writer.sep(",");
                    call.operand(i).unparse(writer, 0, 0);
                }
            }
            writer.endList(window);
        }
    }

    private static final class Literal extends SqlSpecialOperator {
        private final String text;

        Literal(String text) {
            super(Objects.requireNonNull(text, "text"), SqlKind.OTHER, 100, true, ReturnTypes.ARG0, null, null);
            this.text = text;
        }

        @Override
        public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
            writer.literal(text);
        }
    }

    private static final class Cast extends SqlFunction {
        private final String pgType;

        Cast(String pgType) {
            super("CAST AS " + pgType, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, null, SqlFunctionCategory.SYSTEM);
            this.pgType = pgType;
        }

        @Override
        public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
            SqlWriter.Frame frame = writer.startFunCall("CAST");
            call.operand(0).unparse(writer, 0, 0);
            writer.sep("AS");
            writer.literal(pgType);
            writer.endFunCall(frame);
        }
    }

    private static final class Function extends SqlFunction {
        Function(String name) {
            super(name.toLowerCase(Locale.ROOT), SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, null, SqlFunctionCategory.SYSTEM);
        }

        @Override
        public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
            SqlWriter.Frame frame = writer.startFunCall(getName());
            for (SqlNode operand : call.getOperandList()) {
                writer.sep(",");
                operand.unparse(writer, 0, 0);
            }
            writer.endFunCall(frame);
        }
    }

    private static final class Extract extends SqlFunction {
        private final String field;

        Extract(String field) {
            super("EXTRACT " + field, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, null, SqlFunctionCategory.SYSTEM);
            this.field = field;
        }

        @Override
        public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
            SqlWriter.Frame frame = writer.startFunCall("EXTRACT");
            writer.literal(field);
            writer.sep("FROM");
            call.operand(0).unparse(writer, 0, 0);
            writer.endFunCall(frame);
        }
    }
}

package io.timeshard.planner.plan;

import static io.timeshard.planner.plan.PgTypes.BOOLEAN;
import static io.timeshard.planner.plan.PgTypes.UNKNOWN;

import io.timeshard.planner.remote.PgSqlOperators;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateUnitExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Translates one JSqlParser expression into a {@link Typed} Calcite expression in a {@link Scope},
 * following PostgreSQL's typing ({@link PgTypes}). Literals, casts and PostgreSQL functions become
 * {@link PgSqlOperators} calls that print the client's text back; operators become Calcite's standard
 * ones built with explicit types, so Calcite never re-infers or folds them. Anything outside the
 * taken subset throws {@link Declined}. Not thread-safe: one per planning.
 */
final class ExpressionTranslator {
    final RexBuilder rexBuilder;
    final Scope scope;
    private final TableNames tableNames;
    private final FunctionTranslator functions;
    private final ExpressionTranslator preAggregate;

    /** A translator over the hypertable's rows (before any aggregate). */
    ExpressionTranslator(RexBuilder rexBuilder, Scope scope, TableNames tableNames) {
        this(rexBuilder, scope, tableNames, null);
    }

    /** A translator after the aggregate, whose aggregate arguments are translated by {@code preAggregate}. */
    ExpressionTranslator(RexBuilder rexBuilder, Scope scope, TableNames tableNames, ExpressionTranslator preAggregate) {
        this.rexBuilder = rexBuilder;
        this.scope = scope;
        this.tableNames = tableNames;
        this.functions = new FunctionTranslator(this);
        this.preAggregate = preAggregate == null ? this : preAggregate;
    }

    /** @return the translator for aggregate arguments and FILTER conditions */
    ExpressionTranslator preAggregate() {
        return preAggregate;
    }

    Typed translate(Expression e) {
        if (!isLiteral(e)) {
            Typed key = scope.groupKey(e);
            if (key != null) return key;
        }
        return switch (e) {
            case Column c -> scope.column(tableNames.columnName(c));
            case DateUnitExpression d -> scope.column(d.toString().toLowerCase(Locale.ROOT));
            case Parenthesis p -> translate(p.getExpression());
            case ParenthesedExpressionList<?> p when p.size() == 1 -> translate(p.getFirst());
            case LongValue v -> literal(v.getStringValue(), integerType(v.getStringValue()), Typed.NO_NAME, 0);
            case DoubleValue v -> literal(v.toString(), PgTypes.NUMERIC, Typed.NO_NAME, 0);
            case StringValue s -> string(s);
            case BooleanValue b -> literal(b.getValue() ? "true" : "false", BOOLEAN, "bool", 1);
            case NullValue n -> literal("NULL", UNKNOWN, Typed.NO_NAME, 0);
            case DateTimeLiteralExpression d -> dateTimeLiteral(d);
            case IntervalExpression i -> interval(i);
            case SignedExpression s -> signed(s);
            case Addition a -> arithmetic(SqlStdOperatorTable.PLUS, "+", a.getLeftExpression(), a.getRightExpression());
            case Subtraction a -> arithmetic(SqlStdOperatorTable.MINUS, "-", a.getLeftExpression(), a.getRightExpression());
            case Multiplication a -> arithmetic(SqlStdOperatorTable.MULTIPLY, "*", a.getLeftExpression(), a.getRightExpression());
            case Division a -> arithmetic(SqlStdOperatorTable.DIVIDE, "/", a.getLeftExpression(), a.getRightExpression());
            case Modulo a -> arithmetic(SqlStdOperatorTable.MOD, "%", a.getLeftExpression(), a.getRightExpression());
            case Concat c -> concat(c);
            case ComparisonOperator c -> comparison(c);
            case AndExpression a -> bool(SqlStdOperatorTable.AND, a.getLeftExpression(), a.getRightExpression());
            case OrExpression o -> bool(SqlStdOperatorTable.OR, o.getLeftExpression(), o.getRightExpression());
            case NotExpression n -> not(translateBoolean(n.getExpression()));
            case IsNullExpression n -> isNull(n);
            case InExpression in -> in(in);
            case Between b -> between(b);
            case LikeExpression l -> like(l);
            case CaseExpression c -> caseWhen(c);
            case CastExpression c -> cast(c);
            default -> functions.translate(e);
        };
    }

    Typed translateBoolean(Expression e) {
        Typed t = translate(e);
        if (!t.type().equals(BOOLEAN) && !t.type().equals(UNKNOWN)) throw new Declined("not a boolean: " + e);
        return t;
    }

    RexNode call(String pgType, SqlOperator op, List<RexNode> operands) {
        return rexBuilder.makeCall(type(pgType), op, operands);
    }

    RelDataType type(String pgType) {
        return PgTypes.toCalcite(rexBuilder.getTypeFactory(), pgType);
    }

    Typed literal(String text, String pgType, String name, int strength) {
        RexNode rex = rexBuilder.makeCall(type(pgType), PgSqlOperators.literal(text), List.of());
        return new Typed(rex, pgType, name, strength);
    }

    private static boolean isLiteral(Expression e) {
        return e instanceof LongValue || e instanceof DoubleValue || e instanceof StringValue || e instanceof NullValue
                || e instanceof BooleanValue;
    }

    private static String integerType(String digits) {
        try {
            long v = Long.parseLong(digits);
            return v <= Integer.MAX_VALUE ? PgTypes.INTEGER : PgTypes.BIGINT;
        } catch (NumberFormatException e) {
            return PgTypes.NUMERIC;
        }
    }

    private Typed string(StringValue s) {
        if (s.getPrefix() != null) throw new Declined("string literal with prefix " + s.getPrefix());
        return literal("'" + s.getValue() + "'", UNKNOWN, Typed.NO_NAME, 0);
    }

    private Typed dateTimeLiteral(DateTimeLiteralExpression d) {
        PgTypes.CastTarget target = PgTypes.castTarget(d.getType().name());
        if (target == null || !d.getValue().startsWith("'")) throw new Declined("literal " + d);
        return literal(d.getType().name() + " " + d.getValue(), target.type(), target.columnName(), 1);
    }

    @SuppressWarnings("deprecation")
    private Typed interval(IntervalExpression i) {
        if (i.getExpression() != null || i.getIntervalType() != null || !i.getParameter().startsWith("'")) {
            throw new Declined("interval form " + i);
        }
        return literal("INTERVAL " + i.getParameter(), PgTypes.INTERVAL, "interval", 1);
    }

    private Typed signed(SignedExpression s) {
        Typed inner = translate(s.getExpression());
        if (!PgTypes.isNumeric(inner.type()) && !inner.type().equals(PgTypes.INTERVAL)) throw new Declined("sign of " + inner.type());
        if (s.getSign() == '+') return Typed.unnamed(inner.rex(), inner.type());
        if (s.getSign() != '-') throw new Declined("operator " + s.getSign());
        return Typed.unnamed(call(inner.type(), SqlStdOperatorTable.UNARY_MINUS, List.of(inner.rex())), inner.type());
    }

    private Typed arithmetic(SqlOperator op, String symbol, Expression left, Expression right) {
        Typed l = translate(left), r = translate(right);
        String type = PgTypes.arithmetic(symbol, l.type(), r.type());
        if (type == null) throw new Declined("operator " + l.type() + " " + symbol + " " + r.type());
        return Typed.unnamed(call(type, op, List.of(l.rex(), r.rex())), type);
    }

    private Typed concat(Concat c) {
        Typed l = translate(c.getLeftExpression()), r = translate(c.getRightExpression());
        if (!PgTypes.isStringLike(l.type()) || !PgTypes.isStringLike(r.type()) || l.type().equals(UNKNOWN) && r.type().equals(UNKNOWN)) {
            throw new Declined("operator || on " + l.type() + ", " + r.type());
        }
        return Typed.unnamed(call(PgTypes.TEXT, SqlStdOperatorTable.CONCAT, List.of(l.rex(), r.rex())), PgTypes.TEXT);
    }

    private Typed comparison(ComparisonOperator c) {
        SqlOperator op = switch (c) {
            case EqualsTo x -> SqlStdOperatorTable.EQUALS;
            case NotEqualsTo x -> SqlStdOperatorTable.NOT_EQUALS;
            case GreaterThan x -> SqlStdOperatorTable.GREATER_THAN;
            case GreaterThanEquals x -> SqlStdOperatorTable.GREATER_THAN_OR_EQUAL;
            case MinorThan x -> SqlStdOperatorTable.LESS_THAN;
            case MinorThanEquals x -> SqlStdOperatorTable.LESS_THAN_OR_EQUAL;
            default -> throw new Declined("comparison " + c.getStringExpression());
        };
        if (c.getOldOracleJoinSyntax() != 0) throw new Declined("oracle join syntax");
        Typed l = translate(c.getLeftExpression()), r = translate(c.getRightExpression());
        return Typed.unnamed(call(BOOLEAN, op, List.of(l.rex(), r.rex())), BOOLEAN);
    }

    /** AND/OR of two operands, flattened ({@code a OR b OR c} is one OR of three, as Calcite requires). */
    private Typed bool(SqlOperator op, Expression left, Expression right) {
        List<RexNode> operands = new java.util.ArrayList<>();
        for (Expression e : List.of(left, right)) {
            RexNode rex = translateBoolean(e).rex();
            if (rex instanceof org.apache.calcite.rex.RexCall c && c.getOperator() == op) operands.addAll(c.getOperands());
            else operands.add(rex);
        }
        return Typed.unnamed(call(BOOLEAN, op, operands), BOOLEAN);
    }

    private Typed not(Typed inner) {
        return Typed.unnamed(call(BOOLEAN, SqlStdOperatorTable.NOT, List.of(inner.rex())), BOOLEAN);
    }

    private Typed isNull(IsNullExpression n) {
        if (n.isUseIsNull() || n.isUseNotNull()) throw new Declined("ISNULL/NOTNULL spelling");
        Typed inner = translate(n.getLeftExpression());
        SqlOperator op = n.isNot() ? SqlStdOperatorTable.IS_NOT_NULL : SqlStdOperatorTable.IS_NULL;
        return Typed.unnamed(call(BOOLEAN, op, List.of(inner.rex())), BOOLEAN);
    }

    /** {@code x IN (a, b)} is {@code x = a OR x = b} in PostgreSQL, NULLs included; NOT IN is the AND of {@code <>}. */
    private Typed in(InExpression in) {
        if (!(in.getRightExpression() instanceof ExpressionList<?> list) || in.isGlobal() || in.getOldOracleJoinSyntax() != 0) {
            throw new Declined("IN form " + in);
        }
        Typed left = translate(in.getLeftExpression());
        List<RexNode> terms = new ArrayList<>();
        SqlOperator cmp = in.isNot() ? SqlStdOperatorTable.NOT_EQUALS : SqlStdOperatorTable.EQUALS;
        for (Object o : list) {
            Typed value = translate((Expression) o);
            terms.add(call(BOOLEAN, cmp, List.of(left.rex(), value.rex())));
        }
        if (terms.isEmpty()) throw new Declined("empty IN list");
        if (terms.size() == 1) return Typed.unnamed(terms.getFirst(), BOOLEAN);
        return Typed.unnamed(call(BOOLEAN, in.isNot() ? SqlStdOperatorTable.AND : SqlStdOperatorTable.OR, terms), BOOLEAN);
    }

    /** {@code x BETWEEN a AND b} is {@code x >= a AND x <= b} in PostgreSQL; NOT BETWEEN is {@code x < a OR x > b}. */
    private Typed between(Between b) {
        Typed x = translate(b.getLeftExpression());
        Typed lo = translate(b.getBetweenExpressionStart()), hi = translate(b.getBetweenExpressionEnd());
        RexNode low = call(BOOLEAN, b.isNot() ? SqlStdOperatorTable.LESS_THAN : SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, List.of(x.rex(), lo.rex()));
        RexNode high = call(BOOLEAN, b.isNot() ? SqlStdOperatorTable.GREATER_THAN : SqlStdOperatorTable.LESS_THAN_OR_EQUAL, List.of(x.rex(), hi.rex()));
        return Typed.unnamed(call(BOOLEAN, b.isNot() ? SqlStdOperatorTable.OR : SqlStdOperatorTable.AND, List.of(low, high)), BOOLEAN);
    }

    private Typed like(LikeExpression l) {
        if (l.getEscape() != null) throw new Declined("LIKE … ESCAPE");
        SqlOperator op = switch (l.getLikeKeyWord()) {
            case LIKE -> SqlStdOperatorTable.LIKE;
            case ILIKE -> SqlLibraryOperators.ILIKE;
            default -> throw new Declined("operator " + l.getLikeKeyWord());
        };
        Typed left = translate(l.getLeftExpression()), right = translate(l.getRightExpression());
        if (!PgTypes.isStringLike(left.type()) || !PgTypes.isStringLike(right.type())) throw new Declined("LIKE on " + left.type());
        Typed like = Typed.unnamed(call(BOOLEAN, op, List.of(left.rex(), right.rex())), BOOLEAN);
        return l.isNot() ? not(like) : like;
    }

    private Typed caseWhen(CaseExpression c) {
        if (c.isUsingBrackets()) throw new Declined("CASE with brackets");
        Typed subject = c.getSwitchExpression() == null ? null : translate(c.getSwitchExpression());
        List<RexNode> operands = new ArrayList<>();
        List<Typed> results = new ArrayList<>();
        for (WhenClause w : c.getWhenClauses()) {
            Typed when = subject == null ? translateBoolean(w.getWhenExpression()) : translate(w.getWhenExpression());
            RexNode condition = subject == null ? when.rex() : call(BOOLEAN, SqlStdOperatorTable.EQUALS, List.of(subject.rex(), when.rex()));
            Typed then = translate(w.getThenExpression());
            operands.add(condition);
            operands.add(then.rex());
            results.add(then);
        }
        Typed otherwise = c.getElseExpression() == null ? literal("NULL", UNKNOWN, Typed.NO_NAME, 0) : translate(c.getElseExpression());
        results.add(otherwise);
        operands.add(otherwise.rex());
        String type = PgTypes.common(results.stream().map(Typed::type).toList());
        if (type == null) throw new Declined("CASE branches of mixed types");
        return new Typed(call(type, SqlStdOperatorTable.CASE, operands), type, "case", 1);
    }

    private Typed cast(CastExpression c) {
        PgTypes.CastTarget target = PgTypes.castTarget(c.getColDataType().toString());
        if (target == null || c.getColumnDefinitions() != null && !c.getColumnDefinitions().isEmpty()) {
            throw new Declined("cast to " + c.getColDataType());
        }
        Typed inner = translate(c.getLeftExpression());
        RexNode rex = call(target.type(), PgSqlOperators.cast(target.type()), List.of(inner.rex()));
        if (inner.strength() > 1) return new Typed(rex, target.type(), inner.name(), inner.strength());
        return new Typed(rex, target.type(), target.columnName(), 1);
    }
}

package io.timeshard.planner.plan;

import static io.timeshard.planner.plan.PgTypes.BIGINT;
import static io.timeshard.planner.plan.PgTypes.BOOLEAN;
import static io.timeshard.planner.plan.PgTypes.DATE;
import static io.timeshard.planner.plan.PgTypes.DOUBLE;
import static io.timeshard.planner.plan.PgTypes.INTERVAL;
import static io.timeshard.planner.plan.PgTypes.NUMERIC;
import static io.timeshard.planner.plan.PgTypes.TEXT;
import static io.timeshard.planner.plan.PgTypes.TIMESTAMP;
import static io.timeshard.planner.plan.PgTypes.TIMESTAMPTZ;
import static io.timeshard.planner.plan.PgTypes.UNKNOWN;

import io.timeshard.planner.remote.PgSqlOperators;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnalyticType;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.statement.select.AllColumns;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Function calls and aggregates for {@link ExpressionTranslator}: the immutable PostgreSQL functions
 * the fast path takes (date_trunc, time_bucket, date_part, extract, round, abs, coalesce, nullif,
 * greatest, least, lower, upper, length) with PostgreSQL's result types, and the aggregates (count,
 * sum, avg, min, max, the stddev/variance family, bool_and/bool_or, TimescaleDB's first/last (value,
 * time) with a time of the six types {@code sql/first_last.sql} installs, with DISTINCT and FILTER). Any
 * other function — now(), random(), user functions — is declined: it may not be immutable, or may
 * not exist on the data nodes.
 */
final class FunctionTranslator {
    /** Aggregate names as written → canonical PostgreSQL function. */
    private static final Map<String, String> AGGREGATES = Map.ofEntries(
            Map.entry("count", "count"), Map.entry("sum", "sum"), Map.entry("avg", "avg"), Map.entry("min", "min"),
            Map.entry("max", "max"), Map.entry("stddev", "stddev_samp"), Map.entry("stddev_samp", "stddev_samp"),
            Map.entry("stddev_pop", "stddev_pop"), Map.entry("variance", "var_samp"), Map.entry("var_samp", "var_samp"),
            Map.entry("var_pop", "var_pop"), Map.entry("bool_and", "bool_and"), Map.entry("bool_or", "bool_or"),
            Map.entry("first", "first"), Map.entry("last", "last"));
    private static final Pattern FIELD = Pattern.compile("[a-z]+");

    private final ExpressionTranslator t;

    FunctionTranslator(ExpressionTranslator t) {
        this.t = t;
    }

    Typed translate(Expression e) {
        return switch (e) {
            case Function f -> function(f);
            case AnalyticExpression a when a.getType() == AnalyticType.FILTER_ONLY -> filteredAggregate(a);
            case ExtractExpression x -> extract(x);
            default -> throw new Declined("expression " + e.getClass().getSimpleName() + ": " + e);
        };
    }

    private Typed function(Function f) {
        if (f.getMultipartName().size() != 1 || f.isEscaped() || f.getAttribute() != null || f.getKeep() != null
                || f.getNamedParameters() != null || f.getOrderByElements() != null || f.isIgnoreNulls()
                || f.getNullHandling() != null || f.getChainedParameters() != null || f.isUnique() || f.getLimit() != null
                || f.getHavingClause() != null || f.getExtraKeyword() != null || f.getKeywordArguments() != null) {
            throw new Declined("function call form " + f);
        }
        String name = TableNames.identifier(f.getName());
        if (AGGREGATES.containsKey(name)) return aggregate(name, f.isDistinct(), f.isAllColumns(), arguments(f), null);
        if (f.isDistinct() || f.isAllColumns()) throw new Declined("DISTINCT or * in " + name);
        List<Typed> args = new ArrayList<>();
        for (Expression p : arguments(f)) args.add(t.translate(p));
        String type = scalarType(name, args);
        if (type == null) throw new Declined("function " + name + types(args));
        List<org.apache.calcite.rex.RexNode> operands = args.stream().map(Typed::rex).toList();
        SqlOperator op = name.equals("coalesce") ? SqlStdOperatorTable.COALESCE : PgSqlOperators.function(name);
        return new Typed(t.call(type, op, operands), type, name, 2);
    }

    private static List<Expression> arguments(Function f) {
        List<Expression> args = new ArrayList<>();
        if (f.getParameters() != null) {
            for (Object o : f.getParameters()) args.add((Expression) o);
        }
        return args;
    }

    private static String types(List<Typed> args) {
        return args.stream().map(Typed::type).toList().toString();
    }

    /** @return PostgreSQL's result type of {@code name(args)}, or null when not taken */
    private static String scalarType(String name, List<Typed> args) {
        List<String> ts = args.stream().map(a -> PgTypes.base(a.type())).toList();
        int n = ts.size();
        return switch (name) {
            case "date_trunc" -> n == 2 && PgTypes.isStringLike(ts.get(0)) ? truncatedType(ts.get(1)) : null;
            case "time_bucket" -> n == 2 ? bucketType(ts.get(0), ts.get(1)) : null;
            case "date_part" -> n == 2 && PgTypes.isStringLike(ts.get(0)) && isDatetime(ts.get(1)) ? DOUBLE : null;
            case "round" -> round(ts);
            case "abs" -> n == 1 && PgTypes.isNumeric(ts.get(0)) ? ts.get(0) : null;
            case "coalesce", "greatest", "least" -> n >= 1 ? PgTypes.common(ts) : null;
            case "nullif" -> n == 2 && !ts.get(0).equals(UNKNOWN) ? ts.get(0) : null;
            case "lower", "upper" -> n == 1 && PgTypes.isStringLike(ts.get(0)) ? TEXT : null;
            case "length" -> n == 1 && PgTypes.isStringLike(ts.get(0)) && !ts.get(0).equals(UNKNOWN) ? PgTypes.INTEGER : null;
            default -> null;
        };
    }

    private static String truncatedType(String t) {
        return switch (t) {
            case TIMESTAMPTZ, DATE -> TIMESTAMPTZ;
            case TIMESTAMP -> TIMESTAMP;
            case INTERVAL -> INTERVAL;
            default -> null;
        };
    }

    /**
     * time_bucket(interval, timestamptz|timestamp|date) has the time's type; the integer forms
     * (smallint, smallint), (integer, integer), (bigint, bigint) resolve to the wider of the two.
     */
    private static String bucketType(String width, String time) {
        if ((width.equals(INTERVAL) || width.equals(UNKNOWN)) && (time.equals(TIMESTAMPTZ) || time.equals(TIMESTAMP) || time.equals(DATE))) {
            return time;
        }
        if (PgTypes.isInteger(time) && PgTypes.isInteger(width)) return PgTypes.numericRank(width) > PgTypes.numericRank(time) ? width : time;
        return null;
    }

    /**
     * @return whether the fast path takes first/last of a value of type {@code t}: types whose name
     *         without modifiers is the same type (not {@code character}, which would be char(1))
     */
    private static boolean isBookendValue(String t) {
        return PgTypes.numericRank(t) >= 0 || t.equals(BOOLEAN) || t.equals(TEXT) || t.equals("character varying")
                || t.equals(TIMESTAMPTZ) || t.equals(TIMESTAMP) || t.equals(DATE) || t.equals(INTERVAL);
    }

    /** @return whether first/last take a time of type {@code t} (the overloads of {@code sql/first_last.sql}) */
    private static boolean isBookendTime(String t) {
        return t.equals(TIMESTAMPTZ) || t.equals(TIMESTAMP) || t.equals(DATE) || PgTypes.isInteger(t);
    }

    private static boolean isDatetime(String t) {
        return t.equals(TIMESTAMPTZ) || t.equals(TIMESTAMP) || t.equals(DATE) || t.equals(INTERVAL);
    }

    /** round(numeric) and round(numeric, int) are numeric; round of a float or an integer resolves to round(double precision). */
    private static String round(List<String> ts) {
        if (ts.size() == 1) {
            if (ts.get(0).equals(NUMERIC)) return NUMERIC;
            return PgTypes.isNumeric(ts.get(0)) ? DOUBLE : null;
        }
        if (ts.size() == 2 && (ts.get(0).equals(NUMERIC) || PgTypes.isInteger(ts.get(0))) && PgTypes.isInteger(ts.get(1))) return NUMERIC;
        return null;
    }

    private Typed extract(ExtractExpression x) {
        String field = x.getName().toLowerCase(Locale.ROOT);
        if (!FIELD.matcher(field).matches()) throw new Declined("extract field " + x.getName());
        Typed arg = t.translate(x.getExpression());
        if (!isDatetime(PgTypes.base(arg.type()))) throw new Declined("extract from " + arg.type());
        return new Typed(t.call(NUMERIC, PgSqlOperators.extract(field), List.of(arg.rex())), NUMERIC, "extract", 2);
    }

    private Typed filteredAggregate(AnalyticExpression a) {
        if (a.getKeep() != null || a.isIgnoreNulls() || a.getFuncOrderBy() != null || a.getDefaultValue() != null
                || a.getWindowElement() != null || a.getPartitionExpressionList() != null && !a.getPartitionExpressionList().isEmpty()
                || a.getOrderByElements() != null || a.isUnique() || a.getHavingClause() != null || a.getNullHandling() != null
                || a.getLimit() != null || a.getKeywordArguments() != null) {
            throw new Declined("aggregate form " + a);
        }
        String name = TableNames.identifier(a.getName());
        if (!AGGREGATES.containsKey(name)) throw new Declined("FILTER on " + name);
        List<Expression> args = new ArrayList<>();
        boolean star = a.isAllColumns() || a.getExpression() instanceof AllColumns;
        if (a.getExpression() != null && !star) args.add(a.getExpression());
        if (a.getOffset() != null) args.add(a.getOffset()); // JSqlParser's name for a second argument
        return aggregate(name, a.isDistinct(), star, args, a.getFilterExpression());
    }

    private Typed aggregate(String name, boolean distinct, boolean allColumns, List<Expression> args, Expression filter) {
        String function = AGGREGATES.get(name);
        boolean star = allColumns || args.size() == 1 && args.getFirst() instanceof AllColumns;
        List<Typed> arguments = new ArrayList<>();
        if (star) {
            if (!function.equals("count") || distinct) throw new Declined(name + "(*)");
        } else {
            int arity = function.equals("first") || function.equals("last") ? 2 : 1;
            if (args.size() != arity) throw new Declined(name + " with " + args.size() + " arguments");
            for (Expression a : args) arguments.add(t.preAggregate().translate(a));
        }
        Typed condition = filter == null ? null : t.preAggregate().translateBoolean(filter);
        List<String> types = arguments.stream().map(Typed::type).toList();
        String type = aggregateType(function, types);
        if (type == null) throw new Declined("aggregate " + name + (star ? "(*)" : types.toString()));
        return t.scope.aggregate(new AggregateSpec(function, distinct, arguments, condition, type)).withName(name);
    }

    /**
     * @return PostgreSQL's result type of aggregate {@code function} over arguments of types {@code args}
     *         (none for *), or null when the fast path does not take it
     */
    static String aggregateType(String function, List<String> args) {
        if (function.equals("count")) return BIGINT;
        String a = PgTypes.base(args.getFirst());
        if (function.equals("first") || function.equals("last")) return isBookendValue(a) && isBookendTime(PgTypes.base(args.get(1))) ? a : null;
        int rank = PgTypes.numericRank(a);
        return switch (function) {
            case "sum" -> rank >= 0 ? (rank <= 1 ? BIGINT : rank <= 3 ? NUMERIC : a) : null;
            case "avg" -> rank >= 0 ? (rank <= 3 ? NUMERIC : DOUBLE) : null;
            case "min", "max" -> rank >= 0 || a.equals(TIMESTAMPTZ) || a.equals(TIMESTAMP) || a.equals(DATE) || a.equals(INTERVAL) ? a
                    : PgTypes.isStringLike(a) && !a.equals(UNKNOWN) ? TEXT : null;
            case "stddev_samp", "stddev_pop", "var_samp", "var_pop" -> rank >= 0 ? (rank <= 3 ? NUMERIC : DOUBLE) : null;
            case "bool_and", "bool_or" -> a.equals(BOOLEAN) ? BOOLEAN : null;
            default -> null;
        };
    }
}

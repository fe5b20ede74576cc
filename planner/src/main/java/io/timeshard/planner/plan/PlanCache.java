package io.timeshard.planner.plan;

import io.timeshard.catalog.model.Hypertable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * Plans of SELECTs over distributed hypertables, kept by the statement's <em>shape</em>: its text
 * with the string literals its WHERE clause compares columns with ({@code column = '…'}, {@code <>},
 * {@code <}, {@code <=}, {@code >}, {@code >=}, {@code IN ('…', …)}, {@code BETWEEN '…' AND '…'}),
 * bare or cast ({@code '6'::integer}, as {@code IN (SELECT …)} lists become), replaced by placeholders. The same query with other hosts or another time range — TSBS's pattern, and
 * any dashboard's — is then planned by Calcite once per shape, hypertable and {@link PlanContext}; chunk
 * exclusion, which depends on the values, is the caller's and runs every time.
 *
 * <p>A shape's plan is a template whose remote SQL holds the placeholders as opaque string literals,
 * filled in with each statement's values. A template is trusted only after it gave, for the statement
 * that created it, exactly the plan the real literals give (remote SQL, columns, combine SQL, push-down);
 * if it did not — the planner read a value rather than printing it — that shape is planned in full every
 * time. Only values of plain characters (letters, digits, space and {@code _ : . + - /}) are replaced,
 * so filling one in needs no quoting and prints as the planner prints it ({@code 'value'}).
 *
 * <p>Thread-safe; cleared whole when it holds {@value #SIZE} shapes.
 */
public final class PlanCache {
    private static final int SIZE = 2048;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9 _:.+\\-/]{1,200}");
    /** Placeholder i is {@code PLACEHOLDER + i + "_"}; a literal holding it is left in place. */
    private static final String PLACEHOLDER = "ts_pc7_literal_";

    private final DistributedPlanner planner;
    private final Map<Key, Entry> plans = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong templateHits = new java.util.concurrent.atomic.AtomicLong();

    /** The hypertable is compared by identity: a catalog change gives a new instance, and new plans. */
    private record Key(String shape, IdentityOf hypertable, PlanContext context) {}

    private record IdentityOf(Hypertable hypertable) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IdentityOf other && other.hypertable == hypertable;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(hypertable);
        }
    }

    /**
     * @param template the plan with placeholders (empty: the fast path declines the shape)
     * @param trusted  whether the template may be filled in; false: plan every statement of the shape in full
     */
    private record Entry(Optional<DistributedPlan> template, boolean trusted) {}

    /** @param planner the planner that makes the plans */
    public PlanCache(DistributedPlanner planner) {
        this.planner = planner;
    }

    /**
     * Plans {@code select} as {@link DistributedPlanner#plan(PlainSelect, String, Hypertable, PlanContext)}
     * does, from the cache when its shape was planned before. {@code select}'s filter literals are replaced
     * by placeholders while it is planned as a template, then put back.
     *
     * @param select the statement as JSqlParser parsed {@code sql} (token positions kept)
     * @param sql    its text
     * @return the plan, or empty when the fast path declines the statement
     */
    public Optional<DistributedPlan> plan(PlainSelect select, String sql, Hypertable hypertable, PlanContext context) {
        List<StringValue> literals = filterLiterals(select.getWhere(), sql);
        literals.sort(java.util.Comparator.comparingInt(PlanCache::offset));
        List<String> values = new ArrayList<>(literals.size());
        StringBuilder shape = new StringBuilder(sql.length());
        int from = 0;
        for (int i = 0; i < literals.size(); i++) {
            String value = literals.get(i).getValue();
            int at = offset(literals.get(i));
            shape.append(sql, from, at).append('\'').append(PLACEHOLDER).append(i).append("_'");
            from = at + value.length() + 2;
            values.add(value);
        }
        shape.append(sql, from, sql.length());
        Key key = new Key(shape.toString(), new IdentityOf(hypertable), context);
        Entry known = plans.get(key);
        if (known != null && known.trusted()) {
            templateHits.incrementAndGet();
            return known.template().map(p -> fill(p, values));
        }
        Optional<DistributedPlan> real = planner.plan(select, sql, hypertable, context);
        if (known == null) {
            Optional<DistributedPlan> template = real;
            if (!literals.isEmpty()) {
                for (int i = 0; i < literals.size(); i++) literals.get(i).setValue(PLACEHOLDER + i + "_");
                try {
                    template = planner.plan(select, sql, hypertable, context);
                } finally {
                    for (int i = 0; i < literals.size(); i++) literals.get(i).setValue(values.get(i));
                }
            }
            boolean trusted = template.map(p -> fill(p, values).withParameterized(null)).equals(real);
            remember(key, new Entry(trusted ? template : Optional.empty(), trusted));
        }
        return real;
    }

    /** @return how many plans were served from the cache */
    long templateHits() {
        return templateHits.get();
    }

    private void remember(Key key, Entry entry) {
        if (plans.size() >= SIZE) plans.clear();
        plans.put(key, entry);
    }

    /**
     * @param where a WHERE clause of {@code sql} as JSqlParser parsed it (token positions kept), or null
     * @return the string literals a shape leaves out: those of {@code where} that a column is compared
     *         with, plain ({@link #plain}), standing in {@code sql} as {@code 'value'} at the parser's position
     */
    public static List<StringValue> filterLiterals(Expression where, String sql) {
        List<StringValue> out = new ArrayList<>();
        collect(where, sql, out);
        return out;
    }

    /** @return whether a literal's value is plain characters, which a shape may leave out (letters, digits, space, {@code _ : . + - /}) */
    public static boolean plain(String value) {
        return PLAIN.matcher(value).matches();
    }

    /**
     * Collects the string literals of {@code e} — a WHERE clause of {@code sql}, through AND, OR, NOT and
     * parentheses — that a column is compared with, whose value is plain and whose text in {@code sql} is
     * exactly {@code 'value'} at the parser's position.
     */
    private static void collect(Expression e, String sql, List<StringValue> out) {
        switch (e) {
            case null -> { }
            case AndExpression a -> {
                collect(a.getLeftExpression(), sql, out);
                collect(a.getRightExpression(), sql, out);
            }
            case OrExpression o -> {
                collect(o.getLeftExpression(), sql, out);
                collect(o.getRightExpression(), sql, out);
            }
            case NotExpression n -> collect(n.getExpression(), sql, out);
            case Parenthesis p -> collect(p.getExpression(), sql, out);
            case ParenthesedExpressionList<?> p when p.size() == 1 -> collect(p.getFirst(), sql, out);
            case ComparisonOperator c -> {
                if (c.getLeftExpression() instanceof Column) literal(c.getRightExpression(), sql, out);
                else if (c.getRightExpression() instanceof Column) literal(c.getLeftExpression(), sql, out);
            }
            case InExpression in when in.getLeftExpression() instanceof Column -> {
                if (in.getRightExpression() instanceof ExpressionList<?> list) {
                    for (Expression item : list) literal(item, sql, out);
                }
            }
            case Between b when b.getLeftExpression() instanceof Column -> {
                literal(b.getBetweenExpressionStart(), sql, out);
                literal(b.getBetweenExpressionEnd(), sql, out);
            }
            default -> { }
        }
    }

    private static void literal(Expression e, String sql, List<StringValue> out) {
        if (e instanceof CastExpression c) e = c.getLeftExpression();
        if (e instanceof StringValue s && s.getPrefix() == null && PLAIN.matcher(s.getValue()).matches()
                && !s.getValue().contains(PLACEHOLDER) && s.getASTNode() != null) {
            int at = offset(s);
            if (at >= 0 && sql.startsWith(s.getValue(), at + 1) && sql.startsWith("'", at)
                    && sql.startsWith("'", at + 1 + s.getValue().length())) {
                out.add(s);
            }
        }
    }

    /**
     * @return where the literal's opening quote stands in the statement's text (JSqlParser's token
     *         positions count from 1; {@link #literal} checks the text there)
     */
    public static int offset(StringValue s) {
        return s.getASTNode().jjtGetFirstToken().absoluteBegin - 1;
    }

    /**
     * @return {@code template} with each placeholder literal {@code 'ts_pc7_literal_i_'} replaced by {@code 'values[i]'},
     *         and its remote SQL parameterized (see {@link #parameterize})
     */
    static DistributedPlan fill(DistributedPlan template, List<String> values) {
        return new DistributedPlan(template.dataNodes(), fill(template.remoteSql(), values), template.remoteColumns(),
                fill(template.combineSql(), values), template.pushDown(), fill(template.explain(), values), template.passThrough(),
                template.oneNodePassThrough(), parameterize(template.remoteSql(), values));
    }

    /**
     * @return {@code text} with each placeholder literal, quotes included, replaced by {@code ?} and the
     *         values in the order of the {@code ?}s; null when it holds no placeholder, or a {@code ?} of its own
     *         (a jsonb operator: JDBC would take it for a parameter)
     */
    static DistributedPlan.Parameterized parameterize(String text, List<String> values) {
        String quoted = "'" + PLACEHOLDER;
        int at = text.indexOf(quoted);
        if (at < 0 || text.indexOf('?') >= 0) return null;
        StringBuilder b = new StringBuilder(text.length());
        List<String> ordered = new ArrayList<>();
        int from = 0;
        while (at >= 0) {
            int end = text.indexOf("_'", at + quoted.length());
            ordered.add(values.get(Integer.parseInt(text, at + quoted.length(), end, 10)));
            b.append(text, from, at).append('?');
            from = end + 2;
            at = text.indexOf(quoted, from);
        }
        return new DistributedPlan.Parameterized(b.append(text, from, text.length()).toString(), ordered);
    }

    private static String fill(String text, List<String> values) {
        int at = text.indexOf(PLACEHOLDER);
        if (at < 0) return text;
        StringBuilder b = new StringBuilder(text.length() + 16 * values.size());
        int from = 0;
        while (at >= 0) {
            int end = text.indexOf('_', at + PLACEHOLDER.length());
            b.append(text, from, at).append(values.get(Integer.parseInt(text, at + PLACEHOLDER.length(), end, 10)));
            from = end + 1;
            at = text.indexOf(PLACEHOLDER, from);
        }
        return b.append(text, from, text.length()).toString();
    }
}

package io.timeshard.planner.plan;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.Offset;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/**
 * ORDER BY, LIMIT and OFFSET of the statement. ORDER BY items resolve as in PostgreSQL: a number is
 * an output position, a bare name an output column name (SQL92), anything else an expression, equal
 * to an output or added as a hidden column (not allowed with DISTINCT). NULLs sort last ascending and
 * first descending unless NULLS FIRST/LAST says otherwise. DISTINCT ON expressions resolve the same
 * way and lead the sort as PostgreSQL's {@code transformDistinctOnClause} puts them. Immutable.
 *
 * @param elements ORDER BY items as written, never null
 * @param limit    LIMIT, or -1 for none (LIMIT ALL, LIMIT NULL)
 * @param offset   OFFSET, or 0
 */
record OrderAndLimit(List<OrderByElement> elements, int limit, int offset) {
    /** A sort key over the visible and hidden outputs. */
    record Key(int field, boolean descending, boolean nullsFirst) {}

    static OrderAndLimit of(PlainSelect ps) {
        List<OrderByElement> elements = ps.getOrderByElements() == null ? List.of() : List.copyOf(ps.getOrderByElements());
        int limit = -1, offset = 0;
        Limit l = ps.getLimit();
        if (l != null && !l.isLimitAll() && !l.isLimitNull()) {
            if (l.getByExpressions() != null) throw new Declined("LIMIT BY");
            limit = intValue(l.getRowCount(), "LIMIT");
        }
        Offset o = ps.getOffset();
        if (o != null) offset = intValue(o.getOffset(), "OFFSET");
        return new OrderAndLimit(elements, limit, offset);
    }

    private static int intValue(Expression e, String clause) {
        if (!(e instanceof LongValue v) || v.getStringValue().length() > 9) throw new Declined(clause + " " + e);
        return (int) v.getValue();
    }

    /** @return the outputs with names, hidden ORDER BY expressions and sort keys */
    SelectTranslator.Outputs resolve(List<SelectItem<?>> items, List<Typed> visible, ExpressionTranslator t, boolean distinct) {
        return resolve(items, visible, t, distinct, List.of());
    }

    /**
     * @param distinctOn the DISTINCT ON expressions, or empty
     * @return the outputs with names, hidden ORDER BY and DISTINCT ON expressions and sort keys, the DISTINCT
     *         ON keys first (see {@link #distinctOnFirst})
     */
    SelectTranslator.Outputs resolve(List<SelectItem<?>> items, List<Typed> visible, ExpressionTranslator t, boolean distinct,
                                     List<Expression> distinctOn) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SelectItem<?> item = items.get(i);
            names.add(item.getAlias() != null ? TableNames.identifier(item.getAlias().getName()) : visible.get(i).name());
        }
        List<Typed> hidden = new ArrayList<>();
        List<Key> keys = new ArrayList<>();
        for (OrderByElement element : elements) {
            if (element.isMysqlWithRollup()) throw new Declined("WITH ROLLUP");
            int field = field(element.getExpression(), names, visible, hidden, t, distinct);
            boolean descending = !element.isAsc();
            boolean nullsFirst = element.getNullOrdering() == null ? descending
                    : element.getNullOrdering() == OrderByElement.NullOrdering.NULLS_FIRST;
            keys.add(new Key(field, descending, nullsFirst));
        }
        if (distinctOn.isEmpty()) return new SelectTranslator.Outputs(visible, names, hidden, keys, 0);
        List<Integer> on = new ArrayList<>();
        for (Expression e : distinctOn) {
            int field = field(e, names, visible, hidden, t, false);
            if (!on.contains(field)) on.add(field);
        }
        return new SelectTranslator.Outputs(visible, names, hidden, distinctOnFirst(keys, on), on.size());
    }

    /**
     * @return the sort of a DISTINCT ON as PostgreSQL's {@code transformDistinctOnClause} builds it: the ORDER BY
     *         keys (a repeated field counts once), which must start with every DISTINCT ON key they hold, then the
     *         keys ORDER BY lacks, ascending — allowed only when ORDER BY holds nothing but keys. Anything else is
     *         PostgreSQL's error "SELECT DISTINCT ON expressions must match initial ORDER BY expressions": declined.
     */
    private static List<Key> distinctOnFirst(List<Key> orderBy, List<Integer> on) {
        List<Key> keys = new ArrayList<>();
        for (Key k : orderBy) {
            if (keys.stream().noneMatch(x -> x.field() == k.field())) keys.add(k);
        }
        boolean skipped = false;
        for (Key k : keys) {
            if (!on.contains(k.field())) skipped = true;
            else if (skipped) throw new Declined("SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
        }
        for (int field : on) {
            if (keys.stream().anyMatch(k -> k.field() == field)) continue;
            if (skipped) throw new Declined("SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
            keys.add(new Key(field, false, false));
        }
        return keys;
    }

    private static int field(Expression e, List<String> names, List<Typed> visible, List<Typed> hidden, ExpressionTranslator t,
                             boolean distinct) {
        if (e instanceof LongValue position) {
            long p = position.getValue();
            if (p < 1 || p > visible.size()) throw new Declined("ORDER BY position " + p + " is not in select list");
            return (int) p - 1;
        }
        String name = GroupKeys.bareName(e);
        if (name != null) {
            int match = -1;
            for (int i = 0; i < names.size(); i++) {
                if (!names.get(i).equals(name)) continue;
                if (match >= 0 && !visible.get(match).rex().equals(visible.get(i).rex())) throw new Declined("ORDER BY \"" + name + "\" is ambiguous");
                if (match < 0) match = i;
            }
            if (match >= 0) return match;
        }
        Typed expr = t.translate(e);
        for (int i = 0; i < visible.size(); i++) {
            if (visible.get(i).rex().equals(expr.rex())) return i;
        }
        if (distinct) throw new Declined("for SELECT DISTINCT, ORDER BY expressions must appear in select list");
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i).rex().equals(expr.rex())) return visible.size() + i;
        }
        hidden.add(expr);
        return visible.size() + hidden.size() - 1;
    }

    /**
     * Adds the sort, limit and offset (if any) on top of {@code builder}'s current node: a {@link DistinctOn}
     * when {@code distinctOnKeys} &gt; 0 (the first that many keys are its DISTINCT ON keys), else a sort.
     */
    void apply(RelBuilder builder, List<Key> keys, int distinctOnKeys) {
        if (distinctOnKeys > 0) {
            List<RelFieldCollation> fields = new ArrayList<>();
            for (Key k : keys) {
                fields.add(new RelFieldCollation(k.field(), k.descending() ? RelFieldCollation.Direction.DESCENDING
                        : RelFieldCollation.Direction.ASCENDING, k.nullsFirst() ? RelFieldCollation.NullDirection.FIRST
                        : RelFieldCollation.NullDirection.LAST));
            }
            RelNode input = builder.build();
            builder.push(DistinctOn.create(input, RelCollations.of(fields), distinctOnKeys, offset == 0 ? null : (long) offset,
                    limit < 0 ? null : (long) limit));
            return;
        }
        if (keys.isEmpty() && limit < 0 && offset == 0) return;
        List<RexNode> sortExprs = new ArrayList<>();
        for (Key k : keys) {
            RexNode f = builder.field(k.field());
            if (k.descending()) f = builder.desc(f);
            sortExprs.add(k.nullsFirst() ? builder.nullsFirst(f) : builder.nullsLast(f));
        }
        builder.sortLimit(offset, limit, sortExprs);
    }
}

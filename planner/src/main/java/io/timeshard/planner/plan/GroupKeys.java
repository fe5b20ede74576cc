package io.timeshard.planner.plan;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.DateUnitExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Resolves GROUP BY items as PostgreSQL does: a number is a select-list position; a bare name is an
 * input column if the hypertable has one, otherwise a select-list alias; anything else is an
 * expression over the rows. For SELECT DISTINCT the keys are the select list. Equal keys count once.
 */
final class GroupKeys {
    private GroupKeys() {}

    static List<Typed> resolve(PlainSelect ps, List<SelectItem<?>> items, ExpressionTranslator rows, boolean distinct) {
        List<Expression> written = new ArrayList<>();
        if (distinct) {
            for (SelectItem<?> item : items) written.add(item.getExpression());
        } else if (ps.getGroupBy() != null) {
            for (Object o : ps.getGroupBy().getGroupByExpressionList()) written.add(resolveItem((Expression) o, items, rows));
        }
        List<Typed> keys = new ArrayList<>();
        for (Expression e : written) {
            Typed key;
            try {
                key = rows.translate(e);
            } catch (Scope.AggregateFound found) {
                throw new Declined("aggregate functions are not allowed in GROUP BY");
            }
            if (keys.stream().noneMatch(k -> k.rex().equals(key.rex()))) keys.add(key);
        }
        return keys;
    }

    private static Expression resolveItem(Expression e, List<SelectItem<?>> items, ExpressionTranslator rows) {
        if (e instanceof LongValue position) {
            long p = position.getValue();
            if (p < 1 || p > items.size()) throw new Declined("GROUP BY position " + p + " is not in select list");
            return items.get((int) p - 1).getExpression();
        }
        String name = bareName(e);
        if (name == null) return e;
        try {
            rows.scope.column(name);
            return e;
        } catch (Declined notAColumn) {
            for (SelectItem<?> item : items) {
                if (item.getAlias() != null && TableNames.identifier(item.getAlias().getName()).equals(name)) return item.getExpression();
            }
            throw notAColumn;
        }
    }

    /** @return the name of an unqualified column reference, or null */
    static String bareName(Expression e) {
        if (e instanceof Column c && (c.getTable() == null || c.getTable().getName() == null)) return TableNames.identifier(c.getColumnName());
        if (e instanceof DateUnitExpression d) return d.toString().toLowerCase(java.util.Locale.ROOT);
        return null;
    }
}

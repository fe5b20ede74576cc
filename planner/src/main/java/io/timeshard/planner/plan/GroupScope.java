package io.timeshard.planner.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.expression.Expression;
import org.apache.calcite.rex.RexBuilder;

/**
 * Names after the aggregate: group keys (an expression equal to a key, as PostgreSQL matches GROUP
 * BY expressions) and aggregate results, collected as they are met. Field i &lt; keys is key i, field
 * keys + j is aggregate j. A bare column that is not a key is declined (PostgreSQL rejects it).
 * Mutable: one per planning.
 */
final class GroupScope implements Scope {
    private final List<Typed> keys;
    private final ExpressionTranslator rows;
    private final RexBuilder rexBuilder;
    private final List<AggregateSpec> aggregates = new ArrayList<>();
    private final Map<String, Integer> aggregateIndex = new HashMap<>();

    GroupScope(List<Typed> keys, ExpressionTranslator rows) {
        this.keys = List.copyOf(keys);
        this.rows = rows;
        this.rexBuilder = rows.rexBuilder;
    }

    List<AggregateSpec> aggregates() {
        return aggregates;
    }

    @Override
    public Typed column(String name) {
        throw new Declined("column \"" + name + "\" must appear in the GROUP BY clause or be used in an aggregate function");
    }

    @Override
    public Typed aggregate(AggregateSpec spec) {
        Integer index = aggregateIndex.get(spec.key());
        if (index == null) {
            index = aggregates.size();
            aggregates.add(spec);
            aggregateIndex.put(spec.key(), index);
        }
        return new Typed(rexBuilder.makeInputRef(rows.type(spec.type()), keys.size() + index), spec.type(), spec.function(), 2);
    }

    @Override
    public Typed groupKey(Expression expression) {
        Typed row;
        try {
            row = rows.translate(expression);
        } catch (Declined | AggregateFound e) {
            return null;
        }
        for (int i = 0; i < keys.size(); i++) {
            Typed key = keys.get(i);
            if (key.rex().equals(row.rex())) {
                return new Typed(rexBuilder.makeInputRef(key.rex().getType(), i), key.type(), row.name(), row.strength());
            }
        }
        return null;
    }
}

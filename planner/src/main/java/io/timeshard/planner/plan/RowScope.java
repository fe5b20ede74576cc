package io.timeshard.planner.plan;

import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.Hypertable;
import net.sf.jsqlparser.expression.Expression;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;

/** Names before the aggregate: the hypertable's columns. No aggregates allowed. Immutable. */
final class RowScope implements Scope {
    private final Hypertable hypertable;
    private final RelDataType rowType;
    private final RexBuilder rexBuilder;

    RowScope(Hypertable hypertable, RelDataType rowType, RexBuilder rexBuilder) {
        this.hypertable = hypertable;
        this.rowType = rowType;
        this.rexBuilder = rexBuilder;
    }

    @Override
    public Typed column(String name) {
        int index = hypertable.columnIndex(name);
        if (index < 0) throw new Declined("column \"" + name + "\" does not exist");
        Column c = hypertable.columns().get(index);
        return new Typed(rexBuilder.makeInputRef(rowType.getFieldList().get(index).getType(), index), c.typeName(), c.name(), 2);
    }

    @Override
    public Typed aggregate(AggregateSpec spec) {
        throw new AggregateFound();
    }

    @Override
    public Typed groupKey(Expression expression) {
        return null;
    }
}

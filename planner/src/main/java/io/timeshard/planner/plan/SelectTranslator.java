package io.timeshard.planner.plan;

import io.timeshard.catalog.model.Hypertable;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Turns one PlainSelect over the hypertable into Calcite relational algebra with {@link RelBuilder}:
 * scan → {@link DataNodeGather} → WHERE filter → [project keys and aggregate inputs → aggregate →
 * HAVING filter] → project outputs (plus hidden ORDER BY and DISTINCT ON expressions) → sort/limit, or
 * {@link DistinctOn} → [project away the hidden ones]; a DISTINCT ON of a grouped query picks among
 * the groups. Every field gets a fresh name whose PostgreSQL type goes into {@link FieldTypes}.
 * Throws {@link Declined} outside the taken subset. Not thread-safe: one per planning.
 */
final class SelectTranslator {
    /** The translated query: the plan root and the client's result columns. */
    record Translation(RelNode root, List<ResultColumn> columns) {}

    private final Hypertable hypertable;
    private final FieldTypes fieldTypes;
    private final RelBuilder builder;
    private final HypertableScan scan;
    private TableNames names;

    SelectTranslator(Hypertable hypertable, FieldTypes fieldTypes, RelOptCluster cluster, RelBuilder builder, PlanContext context) {
        this.hypertable = hypertable;
        this.fieldTypes = fieldTypes;
        this.builder = builder;
        this.scan = HypertableScan.create(cluster, hypertable, context);
    }

    Translation translate(PlainSelect ps) {
        names = SelectShape.check(ps, hypertable);
        builder.push(scan.gather());
        ExpressionTranslator rows = new ExpressionTranslator(builder.getRexBuilder(),
                new RowScope(hypertable, scan.rowType(), builder.getRexBuilder()), names);
        if (ps.getWhere() != null) builder.filter(noAggregate(() -> rows.translateBoolean(ps.getWhere())).rex());
        List<SelectItem<?>> items = expandStar(ps.getSelectItems());
        OrderAndLimit order = OrderAndLimit.of(ps);
        List<Expression> distinctOn = new ArrayList<>();
        if (ps.getDistinct() != null && ps.getDistinct().getOnSelectItems() != null) {
            for (SelectItem<?> item : ps.getDistinct().getOnSelectItems()) {
                if (item.getAlias() != null || item.getExpression() instanceof AllColumns) throw new Declined("DISTINCT ON item " + item);
                distinctOn.add(item.getExpression());
            }
        }
        boolean distinct = ps.getDistinct() != null && distinctOn.isEmpty();
        boolean grouped = distinct || ps.getGroupBy() != null || ps.getHaving() != null
                || items.stream().anyMatch(i -> containsAggregate(rows, i.getExpression()))
                || order.elements().stream().anyMatch(o -> containsAggregate(rows, o.getExpression()));
        Outputs outputs = grouped ? aggregate(ps, items, rows, distinct, order, distinctOn) : project(items, rows, order, distinctOn);
        return finish(outputs, order);
    }

    private static Typed noAggregate(java.util.function.Supplier<Typed> translation) {
        try {
            return translation.get();
        } catch (Scope.AggregateFound e) {
            throw new Declined("aggregate functions are not allowed here");
        }
    }

    private static boolean containsAggregate(ExpressionTranslator rows, Expression e) {
        if (e instanceof LongValue) return false;
        try {
            rows.translate(e);
            return false;
        } catch (Scope.AggregateFound found) {
            return true;
        } catch (Declined declined) {
            return false; // a name that only an output alias or GROUP BY gives meaning to; resolved later
        }
    }

    private List<SelectItem<?>> expandStar(List<SelectItem<?>> items) {
        List<SelectItem<?>> out = new ArrayList<>();
        for (SelectItem<?> item : items) {
            if (item.getExpression() instanceof AllColumns all) {
                if (all instanceof AllTableColumns t) names.checkQualifier(t.getTable());
                if (!all.toString().endsWith("*")) throw new Declined("* with EXCEPT or REPLACE");
                for (var c : hypertable.columns()) {
                    out.add(new SelectItem<>(new net.sf.jsqlparser.schema.Column(new Table(), io.timeshard.catalog.model.Identifiers.quote(c.name()))));
                }
            } else {
                out.add(item);
            }
        }
        return out;
    }

    /**
     * The select list (and hidden ORDER BY and DISTINCT ON expressions) before sorting; the first {@code
     * distinctOnKeys} sort keys are DISTINCT ON keys (0: no DISTINCT ON).
     */
    record Outputs(List<Typed> visible, List<String> names, List<Typed> hidden, List<OrderAndLimit.Key> sortKeys,
                   int distinctOnKeys) {}

    private Outputs project(List<SelectItem<?>> items, ExpressionTranslator rows, OrderAndLimit order, List<Expression> distinctOn) {
        List<Typed> visible = new ArrayList<>();
        for (SelectItem<?> item : items) visible.add(noAggregate(() -> rows.translate(item.getExpression())));
        return order.resolve(items, visible, rows, false, distinctOn);
    }

    /** @param distinctOn the DISTINCT ON expressions, over the groups (their keys and aggregates), or empty */
    private Outputs aggregate(PlainSelect ps, List<SelectItem<?>> items, ExpressionTranslator rows, boolean distinct, OrderAndLimit order,
                              List<Expression> distinctOn) {
        if (distinct && ps.getGroupBy() != null) throw new Declined("DISTINCT with GROUP BY");
        List<Typed> keys = GroupKeys.resolve(ps, items, rows, distinct);
        GroupScope groups = new GroupScope(keys, rows);
        ExpressionTranslator post = new ExpressionTranslator(builder.getRexBuilder(), groups, names, rows);
        List<Typed> visible = new ArrayList<>();
        for (SelectItem<?> item : items) visible.add(post.translate(item.getExpression()));
        Typed having = ps.getHaving() == null ? null : post.translateBoolean(ps.getHaving());
        Outputs outputs = order.resolve(items, visible, post, distinct, distinctOn);
        buildAggregate(keys, groups.aggregates());
        RexShuttle rebind = rebindToAggregate();
        if (having != null) builder.filter(having.rex().accept(rebind));
        return new Outputs(rebind(outputs.visible(), rebind), outputs.names(), rebind(outputs.hidden(), rebind), outputs.sortKeys(),
                outputs.distinctOnKeys());
    }

    private static List<Typed> rebind(List<Typed> typed, RexShuttle rebind) {
        return typed.stream().map(t -> t.withRex(t.rex().accept(rebind))).toList();
    }

    /** Input references made before the aggregate existed get the aggregate's own field types. */
    private RexShuttle rebindToAggregate() {
        RelNode aggregate = builder.peek();
        return new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return builder.getRexBuilder().makeInputRef(aggregate, ref.getIndex());
            }
        };
    }

    private void buildAggregate(List<Typed> keys, List<AggregateSpec> aggregates) {
        List<RexNode> inputs = new ArrayList<>();
        List<String> inputNames = new ArrayList<>();
        for (Typed key : keys) {
            String name = fieldTypes.fresh("k");
            fieldTypes.put(name, key.type());
            inputs.add(key.rex());
            inputNames.add(name);
        }
        List<List<Integer>> argumentFields = new ArrayList<>();
        List<Integer> filterFields = new ArrayList<>();
        // an argument written twice (count(DISTINCT x), sum(DISTINCT x)) is one input field: one remote group key
        java.util.Map<RexNode, Integer> argumentField = new java.util.HashMap<>();
        for (AggregateSpec spec : aggregates) {
            List<Integer> fields = new ArrayList<>();
            for (Typed argument : spec.arguments()) {
                Integer known = argumentField.get(argument.rex());
                if (known != null) {
                    fields.add(known);
                    continue;
                }
                argumentField.put(argument.rex(), inputs.size());
                fields.add(inputs.size());
                inputs.add(argument.rex());
                String name = fieldTypes.fresh("a");
                fieldTypes.put(name, argument.type()); // a remote group key when a DISTINCT aggregate is split
                inputNames.add(name);
            }
            argumentFields.add(fields);
            int filter = -1;
            if (spec.filter() != null) {
                filter = inputs.size();
                inputs.add(builder.getRexBuilder().makeCall(SqlStdOperatorTable.IS_TRUE, spec.filter().rex()));
                String name = fieldTypes.fresh("c");
                fieldTypes.put(name, PgTypes.BOOLEAN); // a remote group key when a DISTINCT aggregate is split
                inputNames.add(name);
            }
            filterFields.add(filter);
        }
        builder.project(inputs, inputNames, true);
        List<RelBuilder.AggCall> calls = new ArrayList<>();
        for (int i = 0; i < aggregates.size(); i++) {
            AggregateSpec spec = aggregates.get(i);
            String name = fieldTypes.fresh("g");
            fieldTypes.put(name, spec.type());
            RelBuilder.AggCall call = builder.aggregateCall(AggregateFunctions.of(spec.function()),
                    argumentFields.get(i).stream().map(builder::field).toList()).distinct(spec.distinct()).as(name);
            if (filterFields.get(i) >= 0) call = call.filter(builder.field(filterFields.get(i)));
            calls.add(call);
        }
        List<RexNode> keyFields = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) keyFields.add(builder.field(i));
        builder.aggregate(builder.groupKey(keyFields), calls);
    }

    private Translation finish(Outputs outputs, OrderAndLimit order) {
        List<RexNode> exprs = new ArrayList<>();
        List<String> fieldNames = new ArrayList<>();
        List<ResultColumn> columns = new ArrayList<>();
        for (int i = 0; i < outputs.visible().size(); i++) {
            Typed t = outputs.visible().get(i);
            String name = fieldTypes.fresh("o");
            fieldTypes.put(name, PgTypes.output(t.type()));
            exprs.add(t.rex());
            fieldNames.add(name);
            columns.add(new ResultColumn(outputs.names().get(i), PgTypes.output(t.type())));
        }
        for (Typed t : outputs.hidden()) {
            String name = fieldTypes.fresh("h");
            fieldTypes.put(name, PgTypes.output(t.type()));
            exprs.add(t.rex());
            fieldNames.add(name);
        }
        builder.project(exprs, fieldNames, true);
        order.apply(builder, outputs.sortKeys(), outputs.distinctOnKeys());
        if (!outputs.hidden().isEmpty()) {
            List<RexNode> visible = new ArrayList<>();
            for (int i = 0; i < outputs.visible().size(); i++) visible.add(builder.field(i));
            builder.project(visible, fieldNames.subList(0, visible.size()), true);
        }
        return new Translation(builder.build(), columns);
    }
}

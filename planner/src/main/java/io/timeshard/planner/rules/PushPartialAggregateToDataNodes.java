package io.timeshard.planner.rules;

import io.timeshard.planner.plan.DataNodeGather;
import io.timeshard.planner.plan.FieldTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Matches an Aggregate on a {@link DataNodeGather} of rows whose groups may span nodes (not {@link
 * FullPushDown}) and splits it, each call by its {@link AggregateSplit}: below the gather, an
 * aggregate of partial states per group (FILTER clauses included); above it, [window columns] →
 * merge aggregate per group → final expressions, with the original aggregate's row type. The
 * argument of a DISTINCT call joins the nodes' GROUP BY ({@link DistinctSplit}). Does not fire when a
 * call has no split (numeric stddev, DISTINCT with FILTER): the statement then goes to the safety net.
 * Partial state names and PostgreSQL types go into the planning's {@link FieldTypes}.
 */
public final class PushPartialAggregateToDataNodes extends RelRule<RuleConfig> {
    public static final PushPartialAggregateToDataNodes INSTANCE = new PushPartialAggregateToDataNodes(RuleConfig.of(
            "PushPartialAggregateToDataNodes",
            b0 -> b0.operand(Aggregate.class).oneInput(b1 -> b1.operand(DataNodeGather.class)
                    .predicate(g -> g.stage() == DataNodeGather.Stage.ROWS && !g.sortPushed()).anyInputs()),
            PushPartialAggregateToDataNodes::new));

    private PushPartialAggregateToDataNodes(RuleConfig config) {
        super(config);
    }

    @Override
    public boolean matches(RelOptRuleCall call) {
        Aggregate aggregate = call.rel(0);
        DataNodeGather gather = call.rel(1);
        return aggregate.getGroupType() == Aggregate.Group.SIMPLE && !FullPushDown.allowed(aggregate, gather, call.getMetadataQuery())
                && splits(aggregate, gather.getInput()) != null;
    }

    private static List<AggregateSplit> splits(Aggregate aggregate, RelNode input) {
        List<AggregateSplit> splits = new ArrayList<>();
        for (AggregateCall c : aggregate.getAggCallList()) {
            RelDataType argType = c.getArgList().isEmpty() ? null : input.getRowType().getFieldList().get(c.getArgList().getFirst()).getType();
            AggregateSplit split = AggregateSplits.of(c, argType);
            if (split == null) return null;
            splits.add(split);
        }
        // with a DISTINCT call each node returns a group's states per distinct value: float variance merged
        // from those many states would differ from PostgreSQL's in its last digits
        if (splits.contains(DistinctSplit.INSTANCE) && splits.stream().anyMatch(s -> s instanceof FloatVarianceSplit)) return null;
        return splits;
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        Aggregate aggregate = call.rel(0);
        DataNodeGather gather = call.rel(1);
        FieldTypes types = call.getPlanner().getContext().unwrap(FieldTypes.class);
        List<AggregateSplit> splits = splits(aggregate, gather.getInput());
        RelBuilder b = call.builder();
        int keys = aggregate.getGroupCount();
        List<AggregateCall> calls = aggregate.getAggCallList();
        // the arguments of DISTINCT calls, and their FILTER conditions, join the nodes' GROUP BY (DistinctSplit)
        List<Integer> distinctArgs = calls.stream().filter(AggregateCall::isDistinct)
                .flatMap(c -> c.hasFilter() ? java.util.stream.Stream.of(c.getArgList().getFirst(), c.filterArg)
                        : java.util.stream.Stream.of(c.getArgList().getFirst()))
                .distinct().sorted().toList();
        ImmutableBitSet remoteGroup = aggregate.getGroupSet().union(ImmutableBitSet.of(distinctArgs));

        b.push(gather.getInput());
        List<RelBuilder.AggCall> partialCalls = new ArrayList<>();
        List<Integer> stateCounts = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            List<AggregateSplit.State> states = splits.get(i).partials(b, calls.get(i), types.get(calls.get(i).getName()));
            for (AggregateSplit.State s : states) {
                String name = types.fresh("p");
                types.put(name, s.pgType());
                partialCalls.add(s.call().as(name));
            }
            stateCounts.add(states.size());
        }
        b.aggregate(b.groupKey(remoteGroup), partialCalls);
        b.push(gather.over(b.build(), DataNodeGather.Stage.PARTIAL_AGGREGATE, false));

        // the union's columns as [group keys][DISTINCT arguments][states]; each call's state columns
        List<Integer> remoteKeys = remoteGroup.asList();
        if (!distinctArgs.isEmpty()) {
            List<RexNode> reordered = new ArrayList<>();
            for (int g : aggregate.getGroupSet()) reordered.add(b.field(remoteKeys.indexOf(g)));
            for (int d : distinctArgs) reordered.add(b.field(remoteKeys.indexOf(d)));
            for (int i = remoteKeys.size(); i < b.fields().size(); i++) reordered.add(b.field(i));
            b.project(reordered);
        }
        List<List<Integer>> stateFields = new ArrayList<>();
        int next = keys + distinctArgs.size();
        for (int i = 0; i < calls.size(); i++) {
            AggregateCall c = calls.get(i);
            if (c.isDistinct()) {
                List<Integer> fields = new ArrayList<>(List.of(keys + distinctArgs.indexOf(c.getArgList().getFirst())));
                if (c.hasFilter()) fields.add(keys + distinctArgs.indexOf(c.filterArg));
                stateFields.add(fields);
            } else {
                List<Integer> fields = new ArrayList<>();
                for (int j = 0; j < stateCounts.get(i); j++) fields.add(next++);
                stateFields.add(fields);
            }
        }
        combine(b, aggregate, splits, stateFields);
        call.transformTo(b.build());
    }

    /**
     * Builds [windows] → merge aggregate → final project on top of the union: the group keys are its
     * first columns, {@code stateFields} the columns of each call's states.
     */
    private static void combine(RelBuilder b, Aggregate aggregate, List<AggregateSplit> splits, List<List<Integer>> stateFields) {
        int keys = aggregate.getGroupCount();
        List<RexNode> keyRefs = new ArrayList<>(b.fields().subList(0, keys));
        List<List<RexNode>> states = new ArrayList<>();
        List<List<RexNode>> windows = new ArrayList<>();
        List<RexNode> withWindows = new ArrayList<>(b.fields());
        for (int i = 0; i < splits.size(); i++) {
            List<RexNode> s = new ArrayList<>();
            for (int f : stateFields.get(i)) s.add(b.field(f));
            states.add(s);
            List<RexNode> w = splits.get(i).windows(b.getRexBuilder(), s, keyRefs);
            List<RexNode> refs = new ArrayList<>();
            for (RexNode window : w) {
                refs.add(b.getRexBuilder().makeInputRef(window.getType(), withWindows.size()));
                withWindows.add(window);
            }
            windows.add(refs);
        }
        if (withWindows.size() > b.fields().size()) b.project(withWindows);
        List<RelBuilder.AggCall> merges = new ArrayList<>();
        List<Integer> mergeCounts = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            List<RelBuilder.AggCall> m = splits.get(i).merges(b, aggregate.getAggCallList().get(i), states.get(i), windows.get(i));
            merges.addAll(m);
            mergeCounts.add(m.size());
        }
        b.aggregate(b.groupKey(b.fields().subList(0, keys)), merges);
        List<RexNode> finals = new ArrayList<>(b.fields().subList(0, keys));
        int merged = keys;
        for (int i = 0; i < splits.size(); i++) {
            List<RexNode> m = b.fields().subList(merged, merged + mergeCounts.get(i));
            merged += mergeCounts.get(i);
            RelDataType resultType = aggregate.getRowType().getFieldList().get(keys + i).getType();
            finals.add(splits.get(i).finish(b.getRexBuilder(), m, resultType));
        }
        b.project(finals, aggregate.getRowType().getFieldNames(), true);
    }
}

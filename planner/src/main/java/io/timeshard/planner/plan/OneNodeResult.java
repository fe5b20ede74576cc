package io.timeshard.planner.plan;

import io.timeshard.planner.remote.PgSqlOperators;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * What a PARTIAL plan's remote query can also do, found by reading the relations above its gather
 * (the merge aggregate and final projection that {@code PushPartialAggregateToDataNodes} builds, then
 * the statement's projection and ORDER BY / LIMIT):
 *
 * <ul>
 *   <li><b>Top N by group key.</b> An ORDER BY on group keys only, with a LIMIT, is copied into the
 *       remote query with LIMIT n + offset: a group among the first n of the union has fewer than n
 *       smaller keys anywhere, so each node that holds some of its rows returns its state (as
 *       {@code PushSortLimitToDataNodes} does for rows and whole groups).</li>
 *   <li><b>One node's answer.</b> When each merge over the states of one group from one node gives
 *       that state back (min, max, bool_and and bool_or; sum and count, whose final cast keeps the
 *       integer value) and there is GROUP BY and no HAVING, the states of a group that lies on one node
 *       are its final values. If at most one node returns rows at all, its rows are the answer; the
 *       statement's ORDER BY (without LIMIT, or with one on group keys) goes into the remote query so
 *       that they come in order. Which nodes return rows is known only at run time: the plan carries
 *       the column mapping ({@link DistributedPlan#oneNodePassThrough}), the executor decides.</li>
 * </ul>
 *
 * Immutable.
 *
 * @param columns for each result column the remote column it is when one node's rows are the answer, or
 *                empty when they never are
 * @param order   the ORDER BY to apply in the remote query (remote column positions), or null
 * @param fetch   the LIMIT to apply with it, or null
 */
record OneNodeResult(List<Integer> columns, RelCollation order, RexNode fetch) {
    private static final OneNodeResult NONE = new OneNodeResult(List.of(), null, null);

    /** @return {@code remote} sorted by {@link #order} (with {@link #fetch}), or {@code remote} itself */
    RelNode remote(RelNode remote) {
        return order == null ? remote : LogicalSort.create(remote, order, null, fetch);
    }

    /**
     * @param chain the relations above a PARTIAL gather, bottom-up
     * @return what the remote query can also do; never null
     */
    static OneNodeResult of(List<RelNode> chain) {
        if (chain.size() < 2 || !(chain.get(0) instanceof Aggregate merge) || !(chain.get(1) instanceof Project finals)) return NONE;
        int keys = merge.getGroupCount();
        if (merge.getGroupType() != Aggregate.Group.SIMPLE || !merge.getGroupSet().equals(ImmutableBitSet.range(keys))) return NONE;
        // a DISTINCT merge: its argument is a remote group key too, so the nodes' groups are finer than the answer's
        if (merge.getAggCallList().stream().anyMatch(AggregateCall::isDistinct)) return NONE;
        Columns merged = new Columns(new int[merge.getRowType().getFieldCount()], new boolean[merge.getRowType().getFieldCount()]);
        for (int i = 0; i < keys; i++) {
            merged.remote()[i] = i;
            merged.key()[i] = true;
        }
        for (int j = 0; j < merge.getAggCallList().size(); j++) merged.remote()[keys + j] = stateOf(merge.getAggCallList().get(j));
        Columns columns = merged.project(finals.getProjects(), true);
        RelCollation order = null;
        RexNode fetch = null;
        boolean orderKept = true; // the statement's order is the remote query's
        for (RelNode rel : chain.subList(2, chain.size())) {
            if (rel instanceof Project p) {
                columns = columns.project(p.getProjects(), false);
            } else if (rel instanceof Sort s && order == null && orderKept && !s.getCollation().getFieldCollations().isEmpty()) {
                List<RelFieldCollation> fields = new ArrayList<>();
                boolean onKeys = true;
                for (RelFieldCollation fc : s.getCollation().getFieldCollations()) {
                    int c = columns.remote()[fc.getFieldIndex()];
                    onKeys &= c >= 0 && columns.key()[fc.getFieldIndex()];
                    if (c >= 0) fields.add(fc.withFieldIndex(c));
                }
                boolean mapsAll = fields.size() == s.getCollation().getFieldCollations().size();
                if (s.fetch != null && onKeys) {
                    long n = RexLiteral.longValue(s.fetch) + (s.offset == null ? 0 : RexLiteral.longValue(s.offset));
                    fetch = s.getCluster().getRexBuilder().makeExactLiteral(BigDecimal.valueOf(n));
                    order = RelCollations.of(fields);
                    orderKept = s.offset == null;
                } else if (s.fetch == null && s.offset == null && mapsAll) {
                    order = RelCollations.of(fields);
                } else {
                    orderKept = false;
                }
            } else if (rel instanceof Sort) {
                orderKept = false;
            } else {
                return NONE; // HAVING, DISTINCT: the merged groups are not the nodes' groups
            }
        }
        boolean identity = keys > 0 && orderKept && Arrays.stream(columns.remote()).allMatch(c -> c >= 0);
        if (!identity && fetch == null) return NONE;
        return new OneNodeResult(identity ? Arrays.stream(columns.remote()).boxed().toList() : List.of(), fetch == null && !identity ? null : order, fetch);
    }

    /**
     * @return the state column a merge call gives back unchanged for one state: min or max (also
     *         bool_and/bool_or), sum (over sum and count states) or first/last (the value of one (value,
     *         time) pair), without FILTER or DISTINCT; else -1
     */
    private static int stateOf(AggregateCall call) {
        if (call.hasFilter() || call.isDistinct()) return -1;
        if (PgSqlOperators.isBookend(call.getAggregation())) return call.getArgList().getFirst(); // first(value, time) of one pair
        boolean same = switch (call.getAggregation().getKind()) {
            case MIN, MAX, SUM, SUM0 -> true;
            default -> false;
        };
        return same && call.getArgList().size() == 1 ? call.getArgList().getFirst() : -1;
    }

    /**
     * The columns of one relation above the merge aggregate.
     *
     * @param remote per column, the remote column it equals for a group from one node, or -1
     * @param key    per column, whether it is a group key as such
     */
    private record Columns(int[] remote, boolean[] key) {
        /**
         * @param finals true for the final projection of the split: its CAST of an integer total to
         *               bigint and COALESCE of a count total with 0 keep a one-state value; a projection
         *               of the statement's own must only pick columns
         * @return the columns of a projection of these
         */
        Columns project(List<RexNode> exprs, boolean finals) {
            Columns out = new Columns(new int[exprs.size()], new boolean[exprs.size()]);
            for (int i = 0; i < exprs.size(); i++) {
                RexNode e = finals ? unwrap(exprs.get(i)) : exprs.get(i);
                boolean ref = e instanceof RexInputRef;
                out.remote[i] = ref ? remote[((RexInputRef) e).getIndex()] : -1;
                out.key[i] = ref && e == exprs.get(i) && key[((RexInputRef) e).getIndex()];
            }
            return out;
        }
    }

    /** @return the operand under a value-keeping CAST (integer to bigint) or COALESCE(x, literal) of the split's finals */
    private static RexNode unwrap(RexNode e) {
        while (e instanceof RexCall call) {
            if ("bigint".equals(PgSqlOperators.castType(call.getOperator())) && integral(call.getOperands().getFirst())) {
                e = call.getOperands().getFirst();
            } else if (call.getKind() == SqlKind.COALESCE && call.getOperands().size() == 2 && constant(call.getOperands().get(1))) {
                e = call.getOperands().getFirst();
            } else {
                return e;
            }
        }
        return e;
    }

    private static boolean constant(RexNode e) {
        return e instanceof RexLiteral || e instanceof RexCall c && PgSqlOperators.isLiteral(c.getOperator());
    }

    private static boolean integral(RexNode e) {
        return switch (e.getType().getSqlTypeName()) {
            case BIGINT, INTEGER, SMALLINT -> true;
            case DECIMAL -> e.getType().getScale() == 0;
            default -> false;
        };
    }
}

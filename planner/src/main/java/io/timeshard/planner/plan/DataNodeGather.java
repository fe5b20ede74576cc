package io.timeshard.planner.plan;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;

/**
 * The boundary between the data nodes and the access node: its input runs on every data node (the
 * same SQL on each), its output is the union of all nodes' results ({@code _ts_remote}). Planning
 * starts with the gather right above the hypertable scan; the rules in {@code rules/} move filters,
 * projections, aggregates and top-N sorts below it. Immutable.
 */
public final class DataNodeGather extends SingleRel {
    /** What the input computes so far. */
    public enum Stage {
        /** rows (filtered and projected) */
        ROWS,
        /** the whole aggregate: groups never span nodes */
        FULL_AGGREGATE,
        /** partial aggregate states, to be combined on the access node */
        PARTIAL_AGGREGATE,
        /**
         * each node's first row per DISTINCT ON key ({@link DistinctOn}), of which the access node keeps the
         * first; with one data node in play, already the whole answer
         */
        DISTINCT_ON
    }

    private final Placement placement;
    private final Stage stage;
    private final boolean sortPushed;

    /** A gather of {@code input} in {@code stage}; planning starts from {@link #create}. */
    public DataNodeGather(RelOptCluster cluster, RelTraitSet traits, RelNode input, Placement placement, Stage stage,
                          boolean sortPushed) {
        super(cluster, traits, input);
        this.placement = Objects.requireNonNull(placement, "placement");
        this.stage = Objects.requireNonNull(stage, "stage");
        this.sortPushed = sortPushed;
    }

    /** @return a gather over {@code input} */
    public static DataNodeGather create(RelNode input, Placement placement) {
        return new DataNodeGather(input.getCluster(), input.getTraitSet(), input, placement, Stage.ROWS, false);
    }

    /** @return where the rows in play live, for deciding FULL push-down */
    public Placement placement() {
        return placement;
    }

    /** @return what the input computes so far */
    public Stage stage() {
        return stage;
    }

    /** @return true once a top-N sort has been copied below the gather */
    public boolean sortPushed() {
        return sortPushed;
    }

    /** @return a gather in {@code newStage} over {@code newInput} */
    public DataNodeGather over(RelNode newInput, Stage newStage, boolean newSortPushed) {
        return new DataNodeGather(getCluster(), getTraitSet(), newInput, placement, newStage, newSortPushed);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new DataNodeGather(getCluster(), traitSet, sole(inputs), placement, stage, sortPushed);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw).item("stage", stage).item("sortPushed", sortPushed);
    }

    /**
     * Where the rows in play live: the hypertable's partitioning columns and how the chunks in play are
     * placed, for deciding FULL push-down.
     *
     * @param time                     the time dimension column
     * @param space                    the first space dimension column, or null
     * @param spaceValuesStayOnOneNode from {@link PlanContext}
     * @param oneDataNode              true when exactly one data node holds chunks in play: every group,
     *                                 DISTINCT value and DISTINCT ON key is then whole on it (false for none:
     *                                 an aggregate over no rows still answers one row, on the access node)
     */
    public record Placement(String time, String space, boolean spaceValuesStayOnOneNode, boolean oneDataNode) {
        public Placement {
            Objects.requireNonNull(time, "time");
        }
    }
}

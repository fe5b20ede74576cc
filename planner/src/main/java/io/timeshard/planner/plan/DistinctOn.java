package io.timeshard.planner.plan;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;

/**
 * PostgreSQL's {@code SELECT DISTINCT ON (keys) … ORDER BY … OFFSET … LIMIT …}, which Calcite lacks:
 * sort the input by {@code collation}, keep the first row of each run of equal values of its first
 * {@code keys} fields (the DISTINCT ON expressions, which PostgreSQL requires to lead the ORDER BY),
 * then skip {@code offset} rows and return at most {@code fetch}. The row type is the input's. Printed
 * as SQL, never executed by Calcite, so PostgreSQL itself decides equality and order (collation, NULL
 * placement). Not a {@code Sort}: no rule written for sorts may move it by mistake. Immutable.
 */
public final class DistinctOn extends SingleRel {
    private final RelCollation collation;
    private final int keys;
    private final Long offset;
    private final Long fetch;

    /**
     * @param collation the sort, DISTINCT ON keys first; never null
     * @param keys      how many leading fields of {@code collation} are DISTINCT ON keys, at least 1
     * @param offset    OFFSET, or null
     * @param fetch     LIMIT, or null
     */
    public DistinctOn(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelCollation collation, int keys, Long offset,
                      Long fetch) {
        super(cluster, traits, input);
        this.collation = Objects.requireNonNull(collation, "collation");
        if (keys < 1 || keys > collation.getFieldCollations().size()) {
            throw new IllegalArgumentException("DISTINCT ON keys " + keys + " of sort " + collation);
        }
        this.keys = keys;
        this.offset = offset;
        this.fetch = fetch;
    }

    /** @return a DISTINCT ON over {@code input} */
    public static DistinctOn create(RelNode input, RelCollation collation, int keys, Long offset, Long fetch) {
        return new DistinctOn(input.getCluster(), input.getTraitSet(), input, collation, keys, offset, fetch);
    }

    /** @return the sort, DISTINCT ON keys first */
    public RelCollation collation() {
        return collation;
    }

    /** @return the fields of the DISTINCT ON keys, in ORDER BY order */
    public List<RelFieldCollation> keyCollations() {
        return collation.getFieldCollations().subList(0, keys);
    }

    /** @return OFFSET, or null */
    public Long offset() {
        return offset;
    }

    /** @return LIMIT, or null */
    public Long fetch() {
        return fetch;
    }

    /** @return the same DISTINCT ON over {@code newInput} with {@code newOffset} and {@code newFetch} */
    public DistinctOn with(RelNode newInput, Long newOffset, Long newFetch) {
        return new DistinctOn(getCluster(), getTraitSet(), newInput, collation, keys, newOffset, newFetch);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new DistinctOn(getCluster(), traitSet, sole(inputs), collation, keys, offset, fetch);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw).item("collation", collation).item("keys", keys)
                .itemIf("offset", offset, offset != null).itemIf("fetch", fetch, fetch != null);
    }
}

package io.timeshard.planner.rules;

import io.timeshard.planner.plan.DataNodeGather;
import java.util.HashSet;
import java.util.Set;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

/**
 * Decides whether an aggregate's groups never span data nodes, so that each node can compute whole
 * groups (FULL push-down, seeds 003): only one data node holds chunks in play (every group is on it,
 * whatever the GROUP BY — even none); or the GROUP BY holds the first space column itself (not an
 * expression of it) and the space values stay on one node in the queried range; or it holds every
 * dimension column itself (a time value and a space value fall in one chunk, on one node, whatever
 * the repartitioning). Column origins come from Calcite's metadata. Stateless.
 */
final class FullPushDown {
    private FullPushDown() {}

    static boolean allowed(Aggregate aggregate, DataNodeGather gather, RelMetadataQuery mq) {
        if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) return false;
        DataNodeGather.Placement d = gather.placement();
        if (d.oneDataNode()) return true;
        Set<String> rawKeys = new HashSet<>();
        for (int key : aggregate.getGroupSet()) {
            RelColumnOrigin origin = mq.getColumnOrigin(gather.getInput(), key);
            if (origin != null && !origin.isDerived()) {
                rawKeys.add(origin.getOriginTable().getRowType().getFieldNames().get(origin.getOriginColumnOrdinal()));
            }
        }
        if (d.space() != null && d.spaceValuesStayOnOneNode() && rawKeys.contains(d.space())) return true;
        return rawKeys.contains(d.time()) && (d.space() == null || rawKeys.contains(d.space()));
    }
}

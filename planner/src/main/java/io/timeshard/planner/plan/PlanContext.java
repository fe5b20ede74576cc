package io.timeshard.planner.plan;

import java.util.List;

/**
 * What the planner needs besides the SQL.
 *
 * @param dataNodes                the data nodes that hold chunks in play; each gets the remote query. With
 *                                 exactly one, the whole statement runs there (FULL push-down)
 * @param spaceValuesStayOnOneNode true when every value of the first space column lives on one node in
 *                                 the queried range (no repartitioning boundary), so that grouping by it
 *                                 can be pushed down whole (FULL)
 */
public record PlanContext(List<String> dataNodes, boolean spaceValuesStayOnOneNode) {
    public PlanContext {
        dataNodes = List.copyOf(dataNodes);
    }
}

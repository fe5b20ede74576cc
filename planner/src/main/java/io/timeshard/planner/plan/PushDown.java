package io.timeshard.planner.plan;

/** How much of an aggregate or a DISTINCT ON runs on the data nodes. */
public enum PushDown {
    /**
     * the whole aggregate (HAVING, ORDER BY and LIMIT included) runs on each node, or the whole statement
     * on the only data node in play (DISTINCT ON included); the access node only merges (and sorts again)
     */
    FULL,
    /**
     * each node returns partial aggregate states per group, or its first row per DISTINCT ON key; the
     * access node combines them
     */
    PARTIAL,
    /** no aggregate and no DISTINCT ON: each node returns filtered, projected rows */
    NONE
}

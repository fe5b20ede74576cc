package io.timeshard.planner.plan;

/** How much of an aggregate runs on the data nodes. */
public enum PushDown {
    /**
     * the whole aggregate (HAVING, ORDER BY and LIMIT included) runs on each node — on the only data node in
     * play, whatever the aggregate; the access node only merges (and sorts again)
     */
    FULL,
    /** each node returns partial aggregate states per group; the access node combines them */
    PARTIAL,
    /** no aggregate: each node returns filtered, projected rows */
    NONE
}

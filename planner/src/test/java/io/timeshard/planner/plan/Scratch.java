package io.timeshard.planner.plan;

class Scratch {
    public static void main(String[] args) {
        DistributedPlanner p = new DistributedPlanner();
        for (String sql : args) {
            try {
                DistributedPlan plan = p.planOrThrow(sql, Conditions.hypertable(), Conditions.context(true));
                System.out.println(plan.explain() + "\n  cols=" + plan.remoteColumns() + "\n");
            } catch (Declined d) {
                System.out.println("DECLINED " + d.getMessage() + ": " + sql + "\n");
            }
        }
    }
}
